# The Bedrock agent ("Agents Classic") in front of the action function: the agent, its action
# group (the OpenAPI document generated from the action functions), an alias, the agent's
# service role and the function's resource policy for the agent.
data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  agent_name   = format(local.name.schema, "agent", "datagen")
  group_name   = format(local.name.schema, "agent", "actions")
  alias_name   = format(local.name.schema, "agent", "live")
  role_name    = format(local.name.schema, "role", "agent")
  policy_name  = format(local.name.schema, "policy", "agent")
  openapi_path = coalesce(var.openapi_path, "${path.module}/../../../schemas/action-group-openapi.json")

  # Every agent of this account and region: the trust and KMS conditions cannot name the
  # agent's own ARN, which exists only after the role it needs.
  agents_arn = "arn:${local.partition}:bedrock:${local.region}:${var.account_id}:agent/*"
  model_arn = (
    startswith(var.foundation_model, "arn:")
    ? var.foundation_model
    : "arn:${local.partition}:bedrock:${local.region}::foundation-model/${var.foundation_model}"
  )
  guardrail_arn = (
    var.guardrail == null
    ? null
    : "arn:${local.partition}:bedrock:${local.region}:${var.account_id}:guardrail/${var.guardrail.id}"
  )

  instruction = <<-EOT
    You create synthetic test datasets for software teams. The records are generated from a
    schema, are the same for the same request and seed, and never contain a real person's
    data. Use the actions: list_templates and describe_template to find a built-in template,
    validate_schema to check a JSON Schema, generate to create and store a dataset (it returns
    the dataset's fingerprint and S3 location, never the records), lookup_dataset to find a
    stored dataset by fingerprint, and calculate_quality_metrics to measure one. When the
    session attributes hold a structured request, that request decides what is generated:
    pass it on unchanged and never rewrite its schema, rows, seed, locale or compliance
    profiles from the conversation. Report the fingerprint, the S3 URI and the summary the
    action returns; when an action answers with an error, relay its message, which says what
    to change.
  EOT
}

resource "aws_iam_role" "agent" {
  name = local.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "BedrockAgentsOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = local.agents_arn }
      }
    }]
  })
  tags = { Domain = "schema" }
}

resource "aws_iam_role_policy" "agent" {
  name = local.policy_name
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "InvokeTheFoundationModel"
          Effect   = "Allow"
          Action   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
          Resource = [local.model_arn]
        },
        {
          Sid      = "AgentResourcesKey"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [var.agent_key_arn]
          Condition = {
            ArnLike = { "kms:EncryptionContext:aws:bedrock:arn" = local.agents_arn }
          }
        },
      ],
      var.guardrail == null ? [] : [{
        Sid      = "ApplyTheGuardrail"
        Effect   = "Allow"
        Action   = ["bedrock:ApplyGuardrail"]
        Resource = [local.guardrail_arn]
      }],
    )
  })
}

resource "aws_bedrockagent_agent" "this" {
  agent_name                  = local.agent_name
  description                 = "Generates reproducible synthetic datasets through the synthdata action functions."
  agent_resource_role_arn     = aws_iam_role.agent.arn
  foundation_model            = var.foundation_model
  customer_encryption_key_arn = var.agent_key_arn
  idle_session_ttl_in_seconds = var.idle_session_ttl_s
  instruction                 = trimspace(local.instruction)
  prepare_agent               = true

  dynamic "guardrail_configuration" {
    for_each = var.guardrail == null ? [] : [var.guardrail]
    content {
      guardrail_identifier = guardrail_configuration.value.id
      guardrail_version    = guardrail_configuration.value.version
    }
  }

  tags = { Domain = "schema" }

  # PrepareAgent checks that the role may invoke the model.
  depends_on = [aws_iam_role_policy.agent]
}

resource "aws_lambda_permission" "agent" {
  statement_id   = "AllowBedrockAgentInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = var.function_name
  principal      = "bedrock.amazonaws.com"
  source_arn     = aws_bedrockagent_agent.this.agent_arn
  source_account = var.account_id
}

resource "aws_bedrockagent_agent_action_group" "actions" {
  action_group_name          = local.group_name
  description                = "The synthdata action functions: generate, validate, measure and look up datasets."
  agent_id                   = aws_bedrockagent_agent.this.agent_id
  agent_version              = "DRAFT"
  skip_resource_in_use_check = true
  prepare_agent              = true

  action_group_executor {
    lambda = var.function_arn
  }

  api_schema {
    payload = file(local.openapi_path)
  }

  # The agent calls the function as soon as the group is prepared.
  depends_on = [aws_lambda_permission.agent]
}

resource "aws_bedrockagent_agent_alias" "live" {
  agent_alias_name = local.alias_name
  agent_id         = aws_bedrockagent_agent.this.agent_id
  description      = "The version callers invoke: a snapshot of the prepared draft, action group included."
  tags             = { Domain = "schema" }

  # An alias snapshots the prepared draft, action group included.
  depends_on = [aws_bedrockagent_agent_action_group.actions]
}
