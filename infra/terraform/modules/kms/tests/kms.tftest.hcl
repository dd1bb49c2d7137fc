# Offline: a mocked AWS provider, plan only. The policies are jsonencode()d in the module,
# so their JSON is known at plan time and decoded here.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  environment      = "dev"
  writer_role_arns = ["arn:aws:iam::123456789012:role/cache-writer"]
  reader_role_arns = ["arn:aws:iam::123456789012:role/cache-reader"]
}

run "names_follow_the_convention" {
  command = plan

  assert {
    condition = {
      for name, alias in aws_kms_alias.symmetric : name => alias.name
      } == {
      data  = "alias/synthdata-infra-kms-dev-data"
      logs  = "alias/synthdata-infra-kms-dev-logs"
      agent = "alias/synthdata-infra-kms-dev-agent"
    }
    error_message = "symmetric key aliases must be alias/<project>-infra-kms-<env>-<purpose>"
  }
  assert {
    condition     = aws_kms_alias.signing.name == "alias/synthdata-infra-kms-dev-signing"
    error_message = "signing key alias must follow the naming convention"
  }
  assert {
    condition     = alltrue([for key in aws_kms_key.symmetric : key.tags.Domain == "infra"]) && aws_kms_key.signing.tags.Domain == "infra"
    error_message = "keys belong to the infra domain"
  }
}

run "symmetric_keys_rotate" {
  command = plan

  assert {
    condition     = alltrue([for key in aws_kms_key.symmetric : key.enable_key_rotation && key.key_usage == "ENCRYPT_DECRYPT"])
    error_message = "every symmetric key must have rotation enabled"
  }
  assert {
    condition     = alltrue([for key in aws_kms_key.symmetric : key.deletion_window_in_days == 30])
    error_message = "the deletion window comes from deletion_window_days"
  }
}

run "signing_key_is_asymmetric_p256" {
  command = plan

  assert {
    condition     = aws_kms_key.signing.customer_master_key_spec == "ECC_NIST_P256" && aws_kms_key.signing.key_usage == "SIGN_VERIFY"
    error_message = "the manifest signing key is ECC_NIST_P256 SIGN_VERIFY"
  }
}

run "no_wildcard_actions_in_any_key_policy" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for policy in concat([for key in aws_kms_key.symmetric : key.policy], [aws_kms_key.signing.policy]) : [
        for statement in jsondecode(policy).Statement : [
          for action in flatten([statement.Action]) : action != "*" && !endswith(action, ":*")
        ]
      ]
    ]))
    error_message = "no key policy statement may allow * or kms:*"
  }
  assert {
    condition = alltrue(flatten([
      for policy in concat([for key in aws_kms_key.symmetric : key.policy], [aws_kms_key.signing.policy]) : [
        for statement in jsondecode(policy).Statement : statement.Effect == "Allow" && statement.Principal != "*"
      ]
    ]))
    error_message = "key policies only allow, and never to every principal"
  }
  assert {
    condition = alltrue([
      for key in aws_kms_key.symmetric : contains(
        [for s in jsondecode(key.policy).Statement : s.Sid if s.Principal == { AWS = "arn:aws:iam::123456789012:root" } && contains(s.Action, "kms:PutKeyPolicy")],
        "AccountAdministersKey"
      )
    ])
    error_message = "the account root keeps kms:PutKeyPolicy on every key (no lockout)"
  }
}

run "data_key_used_only_through_storage_services" {
  command = plan

  # HCL evaluates both sides of || : try() stands for "this statement has no such condition"
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.symmetric["data"].policy).Statement :
      s.Sid == "AccountAdministersKey" ? true : length(setsubtract(
        try(s.Condition.StringEquals["kms:ViaService"], ["none"]),
        ["s3.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com", "backup.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com"]
      )) == 0
    ])
    error_message = "the data key is used only via S3, DynamoDB, AWS Backup and Lambda"
  }
  assert {
    condition = [
      for s in jsondecode(aws_kms_key.symmetric["data"].policy).Statement : s.Condition.Bool["kms:GrantIsForAWSResource"]
      if contains(flatten([s.Action]), "kms:CreateGrant") && contains(try(s.Condition.StringEquals["kms:ViaService"], []), "lambda.eu-west-1.amazonaws.com")
    ] == ["true"]
    error_message = "Lambda may create a grant on the data key for the function's encrypted environment, for AWS resources only"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.symmetric["data"].policy).Statement :
      contains(flatten([s.Action]), "kms:Decrypt") ? can(s.Condition.StringEquals["kms:ViaService"]) : true
    ])
    error_message = "no statement allows kms:Decrypt on the data key outside a service"
  }
}

run "logs_key_scoped_to_log_groups_by_encryption_context" {
  command = plan

  assert {
    condition = one([
      for s in jsondecode(aws_kms_key.symmetric["logs"].policy).Statement :
      try(s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], null)
      if try(s.Principal.Service, "") == "logs.eu-west-1.amazonaws.com"
    ]) == "arn:aws:logs:eu-west-1:123456789012:log-group:*synthdata-*-dev-*"
    error_message = "CloudWatch Logs may use the logs key only for this environment's log groups"
  }
  assert {
    condition = one([
      for s in jsondecode(aws_kms_key.symmetric["logs"].policy).Statement :
      try(s.Condition.StringEquals["kms:ViaService"], null) if try(s.Principal.AWS, "") != "" && s.Sid != "AccountAdministersKey"
    ]) == "sns.eu-west-1.amazonaws.com"
    error_message = "account principals use the logs key only through SNS"
  }
}

run "agent_key_scoped_to_bedrock" {
  command = plan

  # Every use statement is scoped one way: through Bedrock or OpenSearch Serverless, with a
  # Bedrock ARN of this account as encryption context, or to the schema domain's roles.
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.symmetric["agent"].policy).Statement :
      s.Sid == "AccountAdministersKey" ? true : anytrue([
        length(setsubtract(try(s.Condition.StringEquals["kms:ViaService"], ["none"]), ["bedrock.eu-west-1.amazonaws.com", "aoss.eu-west-1.amazonaws.com"])) == 0,
        try(s.Condition.StringLike["kms:EncryptionContext:aws:bedrock:arn"], []) == [
          "arn:aws:bedrock:eu-west-1:123456789012:agent/*",
          "arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/*",
        ],
        try(s.Condition.ArnLike["aws:PrincipalArn"], "") == "arn:aws:iam::123456789012:role/synthdata-schema-role-dev-*",
      ])
    ])
    error_message = "the agent key is used only by Bedrock, OpenSearch Serverless and the schema roles"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.symmetric["agent"].policy).Statement :
      try(s.Principal.Service, "") == "bedrock.amazonaws.com" ? s.Condition.StringEquals["aws:SourceAccount"] == "123456789012" : true
    ])
    error_message = "the Bedrock service principal may use the agent key for this account only"
  }
}

run "only_writers_sign_readers_verify" {
  command = plan

  assert {
    condition = flatten([
      for s in jsondecode(aws_kms_key.signing.policy).Statement : s.Principal.AWS
      if contains(flatten([s.Action]), "kms:Sign")
    ]) == ["arn:aws:iam::123456789012:role/cache-writer"]
    error_message = "kms:Sign is granted to the writer roles only"
  }
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_kms_key.signing.policy).Statement : s.Principal.AWS
      if contains(flatten([s.Action]), "kms:Verify") && contains(flatten([s.Action]), "kms:GetPublicKey")
      ])) == toset([
      "arn:aws:iam::123456789012:role/cache-writer",
      "arn:aws:iam::123456789012:role/cache-reader",
    ])
    error_message = "readers and writers get kms:Verify and kms:GetPublicKey"
  }
  assert {
    condition = !anytrue([
      for s in jsondecode(aws_kms_key.signing.policy).Statement :
      contains(flatten([s.Action]), "kms:Sign") && contains(flatten([s.Principal.AWS]), "arn:aws:iam::123456789012:role/cache-reader")
    ])
    error_message = "a reader must not be able to sign"
  }
}

run "no_roles_no_use_statements_on_signing_key" {
  command = plan

  variables {
    writer_role_arns = []
    reader_role_arns = []
  }

  assert {
    condition     = [for s in jsondecode(aws_kms_key.signing.policy).Statement : s.Sid] == ["AccountAdministersKey"]
    error_message = "without roles, the signing key policy only administers the key"
  }
}

run "deletion_window_is_validated" {
  command = plan

  variables {
    deletion_window_days = 3
  }

  expect_failures = [var.deletion_window_days]
}
