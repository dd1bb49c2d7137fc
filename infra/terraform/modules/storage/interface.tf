# Interface (contract used by the environments); the resources live in main.tf.
variable "account_id" {
  description = "AWS account id; bucket names end with it."
  type        = string
}

variable "data_key_arn" {
  description = "KMS key for SSE-KMS on every bucket."
  type        = string
}

variable "expiration_days" {
  description = "Days before dataset objects (and noncurrent versions) expire: 90 / 365 / 730 for dev / stg / prod."
  type        = number
}

variable "dataset_prefix" {
  description = "Key prefix of datasets and sessions in the data bucket (SYNTHDATA_PREFIX)."
  type        = string
  default     = "synthdata"
}

variable "template_files" {
  description = "Map of object key => local file path uploaded to the templates bucket."
  type        = map(string)
  default     = {}
}

output "data_bucket_name" {
  value = null
}

output "data_bucket_arn" {
  value = null
}

output "templates_bucket_name" {
  value = null
}

output "templates_bucket_arn" {
  value = null
}

output "log_bucket_name" {
  value = null
}
