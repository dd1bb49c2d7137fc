# Customer-managed keys: three symmetric keys, one per group of services that use them, and
# the asymmetric key that signs shared-cache manifests. Every key policy gives the account
# root the administrative actions by name (never kms:*), and use of the key only through the
# services that need it (kms:ViaService) or to named service principals and roles.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  root      = "arn:${local.partition}:iam::${local.account}:root"

  # Administration without use: the account (and through IAM its administrators) can manage,
  # tag, rotate and schedule the deletion of a key; kms:PutKeyPolicy stays with the root so
  # the key can never become unmanageable.
  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]
  # What a service does with a symmetric key on a caller's behalf (envelope encryption).
  use_actions = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
  ]
  grant_actions = ["kms:CreateGrant", "kms:ListGrants", "kms:RetireGrant"]

  # In a key policy, "Resource": "*" means "this key" (a key policy cannot name other keys).
  admin_statement = {
    Sid       = "AccountAdministersKey"
    Effect    = "Allow"
    Principal = { AWS = local.root }
    Action    = local.admin_actions
    Resource  = "*"
  }

  via = { for service in ["s3", "dynamodb", "backup", "lambda", "sns", "bedrock", "aoss"] :
    service => "${service}.${local.region}.amazonaws.com"
  }

  bedrock_arns = [
    "arn:${local.partition}:bedrock:${local.region}:${local.account}:agent/*",
    "arn:${local.partition}:bedrock:${local.region}:${local.account}:knowledge-base/*",
  ]
  bedrock_role_arn_pattern = "arn:${local.partition}:iam::${local.account}:role/${coalesce(var.bedrock_role_name_pattern, format(local.name.schema, "role", "*"))}"

  log_group_arn_pattern = "arn:${local.partition}:logs:${local.region}:${local.account}:log-group:${coalesce(var.log_group_name_pattern, "*${var.project}-*-${var.environment}-*")}"

  keys = {
    data = {
      description = "Datasets and templates buckets (SSE-KMS), history table and its backups, the function's environment"
      statements = [
        local.admin_statement,
        {
          Sid       = "UseThroughStorageServices"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = local.use_actions
          Resource  = "*"
          Condition = {
            StringEquals = {
              "kms:CallerAccount" = local.account
              "kms:ViaService"    = [local.via.s3, local.via.dynamodb, local.via.backup, local.via.lambda]
            }
          }
        },
        {
          # DynamoDB and AWS Backup hold grants on the key; Lambda creates one to decrypt the
          # function's environment at each cold start.
          Sid       = "GrantsForAwsResources"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = local.grant_actions
          Resource  = "*"
          Condition = {
            StringEquals = {
              "kms:CallerAccount" = local.account
              "kms:ViaService"    = [local.via.dynamodb, local.via.backup, local.via.lambda]
            }
            Bool = { "kms:GrantIsForAWSResource" = "true" }
          }
        },
      ]
    }
    logs = {
      description = "CloudWatch log groups and the alarm topic"
      statements = [
        local.admin_statement,
        {
          Sid       = "CloudWatchLogsEncryptsProjectLogGroups"
          Effect    = "Allow"
          Principal = { Service = "logs.${local.region}.amazonaws.com" }
          Action    = local.use_actions
          Resource  = "*"
          Condition = {
            ArnLike = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arn_pattern }
          }
        },
        {
          Sid       = "UseThroughSns"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = {
            StringEquals = {
              "kms:CallerAccount" = local.account
              "kms:ViaService"    = local.via.sns
            }
          }
        },
        {
          # Alarms publish to the encrypted topic as the CloudWatch service itself.
          Sid       = "CloudWatchAlarmsPublishToTopic"
          Effect    = "Allow"
          Principal = { Service = "cloudwatch.amazonaws.com" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = {
            StringEquals = { "aws:SourceAccount" = local.account }
            ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:*" }
          }
        },
      ]
    }
    agent = {
      description = "Bedrock agent, knowledge base and its OpenSearch Serverless collection"
      statements = [
        local.admin_statement,
        {
          Sid       = "UseThroughBedrockAndOpenSearchServerless"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = local.use_actions
          Resource  = "*"
          Condition = {
            StringEquals = {
              "kms:CallerAccount" = local.account
              "kms:ViaService"    = [local.via.bedrock, local.via.aoss]
            }
          }
        },
        {
          Sid       = "GrantsForBedrockAndOpenSearchServerless"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = local.grant_actions
          Resource  = "*"
          Condition = {
            StringEquals = {
              "kms:CallerAccount" = local.account
              "kms:ViaService"    = [local.via.bedrock, local.via.aoss]
            }
            Bool = { "kms:GrantIsForAWSResource" = "true" }
          }
        },
        {
          # The agent's role, and the principal that creates the agent, encrypt and decrypt
          # the agent's resources themselves, with the agent's ARN as encryption context.
          Sid       = "UseForAccountAgentsAndKnowledgeBases"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = {
            StringEquals = { "kms:CallerAccount" = local.account }
            StringLike   = { "kms:EncryptionContext:aws:bedrock:arn" = local.bedrock_arns }
          }
        },
        {
          # A knowledge base's ingestion job encrypts its transient data as the knowledge
          # base's role, with no encryption context to scope it by: the schema domain's roles
          # of this environment only.
          Sid       = "KnowledgeBaseRolesIngest"
          Effect    = "Allow"
          Principal = { AWS = local.root }
          Action    = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = {
            StringEquals = { "kms:CallerAccount" = local.account }
            ArnLike      = { "aws:PrincipalArn" = local.bedrock_role_arn_pattern }
          }
        },
        {
          # Agents created after 2025-01-22 encrypt their resources as the Bedrock service,
          # with the agent's (or knowledge base's) ARN in the encryption context.
          Sid       = "BedrockEncryptsAccountAgents"
          Effect    = "Allow"
          Principal = { Service = "bedrock.amazonaws.com" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = {
            StringEquals = { "aws:SourceAccount" = local.account }
            StringLike   = { "kms:EncryptionContext:aws:bedrock:arn" = local.bedrock_arns }
          }
        },
      ]
    }
  }

  signing_writers = distinct(var.writer_role_arns)
  signing_readers = distinct(concat(var.writer_role_arns, var.reader_role_arns))
  signing_statements = concat(
    [local.admin_statement],
    length(local.signing_writers) == 0 ? [] : [{
      # Only the writer of the shared cache signs; ECDSA_SHA_256 is the one algorithm KMS
      # signs with on a P-256 key.
      Sid       = "WritersSignManifests"
      Effect    = "Allow"
      Principal = { AWS = local.signing_writers }
      Action    = ["kms:Sign"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:SigningAlgorithm" = "ECDSA_SHA_256" } }
    }],
    length(local.signing_readers) == 0 ? [] : [{
      Sid       = "ReadersVerifyManifests"
      Effect    = "Allow"
      Principal = { AWS = local.signing_readers }
      Action    = ["kms:GetPublicKey", "kms:Verify"]
      Resource  = "*"
    }],
  )
}

resource "aws_kms_key" "symmetric" {
  for_each = local.keys

  description             = "${format(local.name.infra, "kms", each.key)}: ${each.value.description}"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_days
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = each.value.statements
  })
  tags = { Domain = "infra" }
}

resource "aws_kms_alias" "symmetric" {
  for_each = local.keys

  name          = "alias/${format(local.name.infra, "kms", each.key)}"
  target_key_id = aws_kms_key.symmetric[each.key].key_id
}

# AWS KMS cannot rotate asymmetric keys: a new key means a new public key for the readers,
# published with `synthdata cache public-key`.
resource "aws_kms_key" "signing" {
  description              = "${format(local.name.infra, "kms", "signing")}: signs shared-cache manifests"
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "ECC_NIST_P256"
  enable_key_rotation      = false
  deletion_window_in_days  = var.deletion_window_days
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.signing_statements
  })
  tags = { Domain = "infra" }
}

resource "aws_kms_alias" "signing" {
  name          = "alias/${format(local.name.infra, "kms", "signing")}"
  target_key_id = aws_kms_key.signing.key_id
}
