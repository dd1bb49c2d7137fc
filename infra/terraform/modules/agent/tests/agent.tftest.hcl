# Offline: the provider is mocked, so these check what the module asks AWS to create.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_bedrockagent_agent" {
    # known at plan time, so the Lambda permission's source_arn can be compared
    override_during = plan
    defaults = {
      agent_id  = "AGENT12345"
      agent_arn = "arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345"
    }
  }
}

variables {
  environment      = "dev"
  account_id       = "123456789012"
  function_arn     = "arn:aws:lambda:eu-west-1:123456789012:function:synthdata-datagen-lambda-dev-actions"
  function_name    = "synthdata-datagen-lambda-dev-actions"
  agent_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  foundation_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
}

run "names_follow_the_convention" {
  command = plan

  assert {
    condition     = aws_bedrockagent_agent.this.agent_name == "synthdata-schema-agent-dev-datagen"
    error_message = "agent name: ${aws_bedrockagent_agent.this.agent_name}"
  }
  assert {
    condition = alltrue([
      for name in [
        aws_bedrockagent_agent_action_group.actions.action_group_name,
        aws_bedrockagent_agent_alias.live.agent_alias_name,
        aws_iam_role.agent.name,
        aws_iam_role_policy.agent.name,
      ] : can(regex("^synthdata-schema-(agent|role|policy)-dev-[a-z0-9]+$", name))
    ])
    error_message = "a name breaks {project}-{domain}-{type}-{environment}-{description}"
  }
  assert {
    condition     = aws_iam_role.agent.tags["Domain"] == "schema" && aws_bedrockagent_agent.this.tags["Domain"] == "schema"
    error_message = "the agent's resources belong to the schema domain"
  }
}

run "agent_is_encrypted_and_forgets_idle_sessions" {
  command = plan

  assert {
    condition     = aws_bedrockagent_agent.this.customer_encryption_key_arn == var.agent_key_arn
    error_message = "the agent must use the customer-managed key"
  }
  assert {
    condition     = aws_bedrockagent_agent.this.idle_session_ttl_in_seconds == 900
    error_message = "idle session TTL"
  }
  assert {
    condition     = strcontains(aws_bedrockagent_agent.this.instruction, "session attributes")
    error_message = "the instruction must say that structured requests arrive in the session attributes"
  }
  assert {
    condition     = aws_bedrockagent_agent.this.guardrail_configuration == null
    error_message = "no guardrail unless one is given"
  }
}

run "action_group_calls_the_function_with_the_committed_openapi" {
  command = plan

  assert {
    condition     = aws_bedrockagent_agent_action_group.actions.action_group_executor[0].lambda == var.function_arn
    error_message = "the action group must call the action function"
  }
  assert {
    condition     = jsondecode(aws_bedrockagent_agent_action_group.actions.api_schema[0].payload).openapi == "3.0.3"
    error_message = "the api schema must be the committed OpenAPI document"
  }
  assert {
    condition     = contains(keys(jsondecode(aws_bedrockagent_agent_action_group.actions.api_schema[0].payload).paths), "/datasets/{fingerprint}/quality")
    error_message = "the OpenAPI document lacks the quality operation"
  }
}

run "role_trusts_only_this_accounts_agents" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role.agent.assume_role_policy).Statement[0].Principal == {
      Service = "bedrock.amazonaws.com"
    }
    error_message = "the role must trust bedrock.amazonaws.com only"
  }
  assert {
    condition     = jsondecode(aws_iam_role.agent.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "aws:SourceAccount condition missing"
  }
  assert {
    condition     = jsondecode(aws_iam_role.agent.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:bedrock:eu-west-1:123456789012:agent/*"
    error_message = "aws:SourceArn condition must be the account's agents"
  }
}

run "role_policy_is_least_privilege" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(aws_iam_role_policy.agent.policy).Statement : [
        for action in flatten([statement.Action]) : !strcontains(action, "*")
      ]
    ]))
    error_message = "every action must be named"
  }
  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(aws_iam_role_policy.agent.policy).Statement : [
        for resource in flatten([statement.Resource]) : resource != "*"
      ]
    ]))
    error_message = "no statement may name Resource *"
  }
  assert {
    condition = [
      for statement in jsondecode(aws_iam_role_policy.agent.policy).Statement : statement.Resource
      if contains(statement.Action, "bedrock:InvokeModel")
      ] == [
      ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"]
    ]
    error_message = "bedrock:InvokeModel only on the foundation model"
  }
  assert {
    condition = [
      for statement in jsondecode(aws_iam_role_policy.agent.policy).Statement : statement.Resource
      if contains(statement.Action, "kms:Decrypt")
    ] == [[var.agent_key_arn]]
    error_message = "kms only on the agent key"
  }
}

run "lambda_permission_is_scoped_to_the_agent" {
  command = plan

  assert {
    condition     = aws_lambda_permission.agent.principal == "bedrock.amazonaws.com"
    error_message = "principal"
  }
  assert {
    condition     = aws_lambda_permission.agent.source_arn == "arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345"
    error_message = "the permission must name the agent's ARN as source_arn"
  }
  assert {
    condition     = aws_lambda_permission.agent.source_account == var.account_id
    error_message = "source_account"
  }
  assert {
    condition     = aws_lambda_permission.agent.function_name == var.function_name
    error_message = "function"
  }
}

run "guardrail_when_given" {
  command = plan

  variables {
    guardrail = { id = "gr12345", version = "3" }
  }

  assert {
    condition = aws_bedrockagent_agent.this.guardrail_configuration == tolist([{
      guardrail_identifier = "gr12345"
      guardrail_version    = "3"
    }])
    error_message = "the guardrail must be attached"
  }
  assert {
    condition = anytrue([
      for statement in jsondecode(aws_iam_role_policy.agent.policy).Statement :
      statement.Action == ["bedrock:ApplyGuardrail"] && statement.Resource == ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr12345"]
    ])
    error_message = "the role must apply only that guardrail"
  }
}
