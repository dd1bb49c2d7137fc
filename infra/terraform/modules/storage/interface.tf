# Interface (contract used by the environments); the resources live in main.tf.
variable "account_id" {
  description = "AWS account id; bucket names end with it."
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12 digits of an AWS account id."
  }
}

variable "data_key_arn" {
  description = "KMS key for SSE-KMS on every bucket."
  type        = string
}

variable "expiration_days" {
  description = "Days before dataset objects (and noncurrent versions) expire: 90 / 365 / 730 for dev / stg / prod."
  type        = number
  validation {
    condition     = var.expiration_days >= 1 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a whole number of days, at least 1."
  }
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

variable "log_retention_days" {
  description = "Days S3 server access logs are kept in the log bucket."
  type        = number
  default     = 365
  validation {
    condition     = var.log_retention_days >= 1
    error_message = "log_retention_days must be at least 1."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete buckets that still hold objects (test stacks only; never prod)."
  type        = bool
  default     = false
}

output "data_bucket_name" {
  value = aws_s3_bucket.protected["datasets"].id
}

output "data_bucket_arn" {
  value = aws_s3_bucket.protected["datasets"].arn
}

output "templates_bucket_name" {
  value = aws_s3_bucket.protected["templates"].id
}

output "templates_bucket_arn" {
  value = aws_s3_bucket.protected["templates"].arn
}

output "log_bucket_name" {
  value = aws_s3_bucket.logs.id
}

output "log_bucket_arn" {
  value = aws_s3_bucket.logs.arn
}

output "datasets_uri" {
  description = "s3://<data bucket>/<dataset_prefix>: where the SDK keeps datasets and sessions."
  value       = "s3://${aws_s3_bucket.protected["datasets"].id}/${var.dataset_prefix}"
}

output "template_keys" {
  description = "Keys of the templates uploaded to the templates bucket."
  value       = sort(keys(aws_s3_object.templates))
}
