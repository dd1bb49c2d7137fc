# Interface (contract used by the environments); the resources live in main.tf.
variable "function_zip" {
  description = "Path of the function zip built by `synthdata backend package`."
  type        = string
}

variable "layer_zip" {
  description = "Path of the layer zip (the SDK and its dependencies) built by `synthdata backend package`."
  type        = string
}

variable "memory_mb" {
  description = "Lambda memory: 1024 / 1536 / 2048 for dev / stg / prod."
  type        = number
  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be 128 to 10240 MB."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: 5 / 10 / 50 for dev / stg / prod."
  type        = number
  validation {
    # 0 would stop the function; -1 (unreserved) would drop the cost ceiling
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be at least 1."
  }
}

variable "timeout_s" {
  description = "Lambda timeout in seconds (at most 900)."
  type        = number
  default     = 300
  validation {
    condition     = var.timeout_s >= 1 && var.timeout_s <= 900
    error_message = "timeout_s must be 1 to 900 seconds."
  }
}

variable "log_retention_days" {
  description = "Days the function's log group keeps its events."
  type        = number
}

variable "logs_key_arn" {
  description = "KMS key that encrypts the function's log group."
  type        = string
}

variable "data_key_arn" {
  description = "KMS key of the data bucket and the history table; also encrypts the function's environment."
  type        = string
}

variable "data_bucket_name" {
  description = "The dataset bucket (SYNTHDATA_BUCKET)."
  type        = string
}

variable "data_bucket_arn" {
  description = "ARN of the dataset bucket; the role may only touch <dataset_prefix>/datasets/ and <dataset_prefix>/sessions/ in it."
  type        = string
}

variable "dataset_prefix" {
  description = "Key prefix of datasets and sessions in the data bucket (SYNTHDATA_PREFIX)."
  type        = string
  default     = "synthdata"
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", trim(var.dataset_prefix, "/")))
    error_message = "dataset_prefix must be one or more key segments (letters, digits, '_', '.', '-') separated by '/'."
  }
}

variable "table_name" {
  description = "The generation history table (SYNTHDATA_HISTORY_TABLE)."
  type        = string
}

variable "table_arn" {
  description = "ARN of the history table; the role may use it and its fingerprint index only."
  type        = string
}

variable "fingerprint_index_name" {
  description = "The history table's index by fingerprint, the only index the role may query (the history module's fingerprint_index_name)."
  type        = string
  default     = "by_fingerprint"
}

variable "runtime" {
  description = "Lambda runtime; it must match the Python version the layer was built for (synthdata backend package builds for 3.11)."
  type        = string
  default     = "python3.11"
  validation {
    condition     = contains(["python3.11", "python3.12"], var.runtime)
    error_message = "runtime must be python3.11 or python3.12."
  }
}

variable "service_name" {
  description = "POWERTOOLS_SERVICE_NAME of the function's logs and traces."
  type        = string
  default     = "synthdata-actions"
}

variable "metrics_namespace" {
  description = "POWERTOOLS_METRICS_NAMESPACE: the CloudWatch namespace of the function's own metrics."
  type        = string
  default     = "synthdata"
}

variable "max_rows" {
  description = "SYNTHDATA_MAX_ACTION_ROWS: rows one request may ask for."
  type        = number
  default     = 1000000
  validation {
    condition     = var.max_rows >= 1 && floor(var.max_rows) == var.max_rows
    error_message = "max_rows must be a positive whole number."
  }
}

output "function_name" {
  description = "Name of the action function."
  value       = aws_lambda_function.actions.function_name
}

output "function_arn" {
  description = "ARN of the action function (unqualified)."
  value       = aws_lambda_function.actions.arn
}

output "handler" {
  description = "The function's entry point inside function.zip."
  value       = aws_lambda_function.actions.handler
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.function.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.function.name
}

output "log_group_name" {
  description = "The function's log group, /aws/lambda/<function name>."
  value       = aws_cloudwatch_log_group.function.name
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.function.arn
}

output "layer_arn" {
  description = "ARN of the SDK layer's version (with its version number)."
  value       = aws_lambda_layer_version.sdk.arn
}
