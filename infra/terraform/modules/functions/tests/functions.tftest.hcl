# Offline checks of the functions module: a mocked provider, plans only.
# The ARNs the policies are built from are set at plan time (override_during = plan), so the
# policies' JSON can be read back with jsondecode().

mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/synthdata-datagen-lambda-dev-actions"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:synthdata-datagen-lambda-dev-actions"
    }
  }

  mock_resource "aws_lambda_layer_version" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:layer:synthdata-datagen-layer-dev-sdk:1"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/synthdata-datagen-role-dev-actions"
    }
  }
}

variables {
  environment          = "dev"
  function_zip         = "tests/fixtures/function.zip"
  layer_zip            = "tests/fixtures/layer.zip"
  memory_mb            = 1024
  reserved_concurrency = 5
  log_retention_days   = 30
  logs_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-00000000000a"
  data_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-00000000000d"
  data_bucket_name     = "synthdata-datagen-s3-dev-datasets-123456789012"
  data_bucket_arn      = "arn:aws:s3:::synthdata-datagen-s3-dev-datasets-123456789012"
  dataset_prefix       = "team/ci"
  table_name           = "synthdata-datagen-ddb-dev-history"
  table_arn            = "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-dev-history"
  max_rows             = 250000
}

run "function_settings_follow_the_variables" {
  command = plan

  assert {
    condition     = aws_lambda_function.actions.function_name == "synthdata-datagen-lambda-dev-actions"
    error_message = "the function is not named by the convention"
  }
  assert {
    condition     = aws_lambda_function.actions.memory_size == 1024
    error_message = "memory_size does not follow memory_mb"
  }
  assert {
    condition     = aws_lambda_function.actions.reserved_concurrent_executions == 5
    error_message = "reserved concurrency does not follow reserved_concurrency"
  }
  assert {
    condition     = aws_lambda_function.actions.timeout == 300
    error_message = "the timeout is not the default 300 s"
  }
  assert {
    condition     = aws_lambda_function.actions.handler == "synthdata_lambda.handler"
    error_message = "the handler is not function.zip's entry point"
  }
  assert {
    condition     = contains(["python3.11", "python3.12"], aws_lambda_function.actions.runtime)
    error_message = "the runtime is not Python 3.11+"
  }
  assert {
    condition     = aws_lambda_function.actions.source_code_hash == filebase64sha256("tests/fixtures/function.zip")
    error_message = "source_code_hash is not the function zip's"
  }
  assert {
    condition     = aws_lambda_layer_version.sdk.source_code_hash == filebase64sha256("tests/fixtures/layer.zip")
    error_message = "the layer's source_code_hash is not the layer zip's"
  }
  assert {
    condition     = aws_lambda_layer_version.sdk.layer_name == "synthdata-datagen-layer-dev-sdk"
    error_message = "the layer is not named by the convention"
  }
  assert {
    condition     = aws_lambda_function.actions.layers == tolist([aws_lambda_layer_version.sdk.arn])
    error_message = "the function does not use the SDK layer"
  }
  assert {
    condition     = aws_lambda_function.actions.tracing_config[0].mode == "Active"
    error_message = "X-Ray tracing is not active"
  }
  assert {
    condition     = aws_lambda_function.actions.kms_key_arn == var.data_key_arn
    error_message = "the environment is not encrypted with the data key"
  }
  assert {
    condition     = aws_lambda_function.actions.role == aws_iam_role.function.arn
    error_message = "the function does not run as its own role"
  }
}

run "environment_is_what_the_sdk_reads" {
  command = plan

  assert {
    condition = aws_lambda_function.actions.environment[0].variables == tomap({
      SYNTHDATA_BUCKET             = "synthdata-datagen-s3-dev-datasets-123456789012"
      SYNTHDATA_PREFIX             = "team/ci"
      SYNTHDATA_HISTORY_TABLE      = "synthdata-datagen-ddb-dev-history"
      SYNTHDATA_KMS_KEY_ID         = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-00000000000d"
      SYNTHDATA_MAX_ACTION_ROWS    = "250000"
      POWERTOOLS_SERVICE_NAME      = "synthdata-actions"
      POWERTOOLS_METRICS_NAMESPACE = "synthdata"
    })
    error_message = "the environment variables are not the SDK's settings"
  }
}

run "log_group_has_retention_and_key" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.function.name == "/aws/lambda/synthdata-datagen-lambda-dev-actions"
    error_message = "the log group is not the one Lambda writes to"
  }
  assert {
    condition     = aws_cloudwatch_log_group.function.retention_in_days == 30
    error_message = "retention does not follow log_retention_days"
  }
  assert {
    condition     = aws_cloudwatch_log_group.function.kms_key_id == var.logs_key_arn
    error_message = "the log group is not encrypted with the logs key"
  }
}

run "role_is_assumed_by_lambda_of_this_account_only" {
  command = plan

  assert {
    condition     = aws_iam_role.function.name == "synthdata-datagen-role-dev-actions"
    error_message = "the role is not named by the convention"
  }
  assert {
    condition = jsondecode(aws_iam_role.function.assume_role_policy).Statement == [{
      Sid       = "LambdaOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }]
    error_message = "the trust policy is not lambda.amazonaws.com of this account"
  }
}

run "policies_are_least_privilege" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for policy in [aws_iam_role_policy.data.policy, aws_iam_role_policy.telemetry.policy, aws_iam_role_policy.invoke_self.policy] : [
        for statement in jsondecode(policy).Statement : [
          for action in statement.Action : !strcontains(action, "*")
        ]
      ]
    ]))
    error_message = "a statement allows a wildcard action"
  }
  assert {
    condition = alltrue(flatten([
      for policy in [aws_iam_role_policy.data.policy, aws_iam_role_policy.telemetry.policy, aws_iam_role_policy.invoke_self.policy] : [
        for statement in jsondecode(policy).Statement : [
          for resource in statement.Resource :
          resource != "*" || statement.Sid == "XRayTraces"
        ]
      ]
    ]))
    error_message = "a statement other than the X-Ray one names Resource \"*\""
  }
  assert {
    condition = toset(flatten([
      for statement in jsondecode(aws_iam_role_policy.telemetry.policy).Statement :
      statement.Action if statement.Sid == "XRayTraces"
    ])) == toset(["xray:PutTelemetryRecords", "xray:PutTraceSegments"])
    error_message = "the Resource \"*\" statement allows more than the two X-Ray calls"
  }
  assert {
    condition = toset(flatten([
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement :
      statement.Resource if anytrue([for action in statement.Action : startswith(action, "s3:") && action != "s3:ListBucket"])
      ])) == toset([
      "arn:aws:s3:::synthdata-datagen-s3-dev-datasets-123456789012/team/ci/datasets/*",
      "arn:aws:s3:::synthdata-datagen-s3-dev-datasets-123456789012/team/ci/sessions/*",
    ])
    error_message = "S3 object actions reach beyond the datasets and sessions prefixes"
  }
  assert {
    condition = [
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement :
      statement if contains(statement.Action, "s3:ListBucket")
      ] == [{
        Sid       = "ListDatasetAndSessionKeys"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::synthdata-datagen-s3-dev-datasets-123456789012"]
        Condition = { StringLike = { "s3:prefix" = ["team/ci/datasets/*", "team/ci/sessions/*"] } }
    }]
    error_message = "listing is not limited to the datasets and sessions prefixes"
  }
  assert {
    condition = toset(flatten([
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement :
      statement.Resource if anytrue([for action in statement.Action : startswith(action, "dynamodb:")])
      ])) == toset([
      "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-dev-history",
      "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-dev-history/index/by_fingerprint",
    ])
    error_message = "DynamoDB actions reach beyond the table and its fingerprint index"
  }
  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement : [
        for action in statement.Action :
        contains(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"], action)
      ] if anytrue([for action in statement.Action : startswith(action, "dynamodb:")])
    ]))
    error_message = "a DynamoDB action other than the item actions the history uses"
  }
  assert {
    condition = [
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement :
      statement.Resource if contains(statement.Action, "dynamodb:Query")
      ] == [[
        "arn:aws:dynamodb:eu-west-1:123456789012:table/synthdata-datagen-ddb-dev-history/index/by_fingerprint",
    ]]
    error_message = "Query reaches beyond the fingerprint index"
  }
  assert {
    condition = toset(flatten([
      for statement in jsondecode(aws_iam_role_policy.data.policy).Statement :
      statement.Resource if anytrue([for action in statement.Action : startswith(action, "kms:")])
    ])) == toset([var.data_key_arn])
    error_message = "KMS actions reach beyond the data key"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.telemetry.policy).Statement[0].Resource == [
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/synthdata-datagen-lambda-dev-actions:*"
    ]
    error_message = "the log permissions reach beyond the function's own log group"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.invoke_self.policy).Statement[0].Resource == [
      "arn:aws:lambda:eu-west-1:123456789012:function:synthdata-datagen-lambda-dev-actions",
      "arn:aws:lambda:eu-west-1:123456789012:function:synthdata-datagen-lambda-dev-actions:*",
    ]
    error_message = "the function may invoke something other than itself"
  }
}

run "prod_sizes" {
  command = plan

  variables {
    environment          = "prod"
    memory_mb            = 2048
    reserved_concurrency = 50
    timeout_s            = 120
  }

  assert {
    condition     = aws_lambda_function.actions.memory_size == 2048 && aws_lambda_function.actions.reserved_concurrent_executions == 50 && aws_lambda_function.actions.timeout == 120
    error_message = "memory, concurrency or timeout does not follow the variables"
  }
  assert {
    condition     = aws_lambda_function.actions.function_name == "synthdata-datagen-lambda-prod-actions"
    error_message = "the function name does not carry the environment"
  }
}

run "zero_concurrency_is_refused" {
  command = plan

  variables {
    reserved_concurrency = 0
  }

  expect_failures = [var.reserved_concurrency]
}
