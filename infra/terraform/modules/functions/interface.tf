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
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: 5 / 10 / 50 for dev / stg / prod."
  type        = number
}

variable "timeout_s" {
  type    = number
  default = 300
}

variable "log_retention_days" {
  type = number
}

variable "logs_key_arn" {
  type = string
}

variable "data_key_arn" {
  type = string
}

variable "data_bucket_name" {
  type = string
}

variable "data_bucket_arn" {
  type = string
}

variable "dataset_prefix" {
  type    = string
  default = "synthdata"
}

variable "table_name" {
  type = string
}

variable "table_arn" {
  type = string
}

variable "max_rows" {
  description = "SYNTHDATA_MAX_ACTION_ROWS: rows one request may ask for."
  type        = number
  default     = 1000000
}

output "function_name" {
  value = null
}

output "function_arn" {
  value = null
}

output "role_arn" {
  value = null
}

output "role_name" {
  value = null
}

output "log_group_name" {
  value = null
}

output "layer_arn" {
  value = null
}
