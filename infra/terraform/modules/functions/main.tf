# The action function: one Lambda (three front doors, see synthdata_sdk.cloud.handler), the
# layer that carries the SDK and its dependencies, its log group and its execution role.
# Both zips come from `synthdata backend package`; their sha256 makes a new version only when
# their bytes change (the build is reproducible).

data "aws_caller_identity" "current" {}

locals {
  function_name = format(local.name.datagen, "lambda", "actions")
  # the entry point of function.zip (synthdata_sdk/packaging: HANDLER)
  handler = "synthdata_lambda.handler"
  # the S3 keys the function reads and writes: <prefix>/datasets/... and <prefix>/sessions/...
  prefix                = trim(var.dataset_prefix, "/")
  object_prefixes       = ["${local.prefix}/datasets/", "${local.prefix}/sessions/"]
  fingerprint_index_arn = "${var.table_arn}/index/${var.fingerprint_index_name}"
}

resource "aws_lambda_layer_version" "sdk" {
  layer_name               = format(local.name.datagen, "layer", "sdk")
  description              = "synthdata SDK and its runtime dependencies"
  filename                 = var.layer_zip
  source_code_hash         = filebase64sha256(var.layer_zip)
  compatible_runtimes      = [var.runtime]
  compatible_architectures = ["x86_64"]
}

resource "aws_cloudwatch_log_group" "function" {
  # Lambda writes to /aws/lambda/<function name>; made here for its retention and key
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_key_arn
}

resource "aws_iam_role" "function" {
  name        = format(local.name.datagen, "role", "actions")
  description = "Execution role of the synthdata action function"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
      }
    }]
  })
}

resource "aws_iam_role_policy" "data" {
  name = format(local.name.datagen, "policy", "actions-data")
  role = aws_iam_role.function.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # dataset files, manifests and session pointers; HeadObject is covered by GetObject
        Sid      = "DatasetAndSessionObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = [for prefix in local.object_prefixes : "${var.data_bucket_arn}/${prefix}*"]
      },
      {
        # the store lists an entry's files before serving it, and ListBucket is also what
        # makes S3 answer 404 (not 403) for a key that is not there yet
        Sid      = "ListDatasetAndSessionKeys"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [var.data_bucket_arn]
        Condition = {
          StringLike = { "s3:prefix" = [for prefix in local.object_prefixes : "${prefix}*"] }
        }
      },
      {
        # the generation history (synthdata_sdk/cloud/history.py): a conditional put and
        # update, and a consistent get, of one item; the fan-out's idempotency records live
        # in the same table, and powertools deletes its record when a partition raises
        Sid      = "GenerationHistoryItems"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
        Resource = [var.table_arn]
      },
      {
        # the generations of one dataset: a query of the fingerprint index, never the table
        Sid      = "GenerationsByFingerprint"
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = [local.fingerprint_index_arn]
      },
      {
        # SSE-KMS objects and the table are encrypted with the data key
        Sid      = "DataKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = [var.data_key_arn]
      },
    ]
  })
}

resource "aws_iam_role_policy" "telemetry" {
  name = format(local.name.datagen, "policy", "actions-telemetry")
  role = aws_iam_role.function.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "OwnLogGroup"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.function.arn}:*"]
      },
      {
        # X-Ray has no resource-level permissions: these two actions only take "*"
        Sid      = "XRayTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_iam_role_policy" "invoke_self" {
  # the fan-out of a large request invokes this same function, once per part
  name = format(local.name.datagen, "policy", "actions-invoke")
  role = aws_iam_role.function.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeItself"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [aws_lambda_function.actions.arn, "${aws_lambda_function.actions.arn}:*"]
    }]
  })
}

resource "aws_lambda_function" "actions" {
  #checkov:skip=CKV_AWS_116:every caller (agent action group, gateway, direct and fan-out calls) invokes synchronously and gets the error back; a failed generation is recorded in the history table, so there is no asynchronous event a dead-letter queue would keep
  #checkov:skip=CKV_AWS_117:the function only calls AWS APIs (S3, DynamoDB, KMS, Lambda, X-Ray, logs) and reaches no private network; a VPC would add NAT or endpoints and cost without narrowing anything the IAM policies do not already
  #checkov:skip=CKV_AWS_272:the code comes from the reproducible package build and is pinned by its sha256 (source_code_hash); code signing needs a Signer profile the environments do not have yet
  function_name                  = local.function_name
  description                    = "synthdata action functions: generate, validate_schema, calculate_quality_metrics"
  role                           = aws_iam_role.function.arn
  runtime                        = var.runtime
  architectures                  = ["x86_64"]
  handler                        = local.handler
  filename                       = var.function_zip
  source_code_hash               = filebase64sha256(var.function_zip)
  layers                         = [aws_lambda_layer_version.sdk.arn]
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_s
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = var.data_key_arn

  environment {
    # the names synthdata_sdk.cloud.config reads
    variables = {
      SYNTHDATA_BUCKET             = var.data_bucket_name
      SYNTHDATA_PREFIX             = local.prefix
      SYNTHDATA_HISTORY_TABLE      = var.table_name
      SYNTHDATA_KMS_KEY_ID         = var.data_key_arn
      SYNTHDATA_MAX_ACTION_ROWS    = tostring(var.max_rows)
      POWERTOOLS_SERVICE_NAME      = var.service_name
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
    }
  }

  tracing_config {
    mode = "Active"
  }

  # the log group (retention, key) and the permissions exist before the first invocation
  depends_on = [
    aws_cloudwatch_log_group.function,
    aws_iam_role_policy.data,
    aws_iam_role_policy.telemetry,
  ]
}
