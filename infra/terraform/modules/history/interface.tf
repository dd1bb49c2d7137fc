# Interface (contract used by the environments); the resources live in main.tf.
variable "data_key_arn" {
  description = "KMS key for the table's server-side encryption."
  type        = string
}

variable "point_in_time_recovery" {
  description = "Enable point-in-time recovery."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection (true for prod: a destroy must first turn it off)."
  type        = bool
  default     = false
}

variable "backup_schedule" {
  description = "AWS Backup of the table: \"none\" (dev) or \"daily\" (stg, prod)."
  type        = string
  default     = "none"
  validation {
    condition     = contains(["none", "daily"], var.backup_schedule)
    error_message = "backup_schedule must be \"none\" or \"daily\"."
  }
}

variable "backup_retention_days" {
  description = "Days each daily backup is kept."
  type        = number
  default     = 35
  validation {
    condition     = var.backup_retention_days >= 1
    error_message = "backup_retention_days must be at least 1."
  }
}

variable "backup_copy_vault_arn" {
  description = "ARN of a backup vault in another region each daily backup is copied to (prod); null: no copy. Needs backup_schedule = \"daily\"."
  type        = string
  default     = null
  validation {
    condition     = var.backup_copy_vault_arn == null || can(regex("^arn:[a-z-]+:backup:[a-z0-9-]+:[0-9]{12}:backup-vault:[A-Za-z0-9_.-]+$", var.backup_copy_vault_arn))
    error_message = "backup_copy_vault_arn must be a backup vault ARN (arn:<partition>:backup:<region>:<account>:backup-vault:<name>)."
  }
}

variable "backup_copy_retention_days" {
  description = "Days each copy is kept in the copy vault; null: backup_retention_days."
  type        = number
  default     = null
}

output "table_name" {
  value = aws_dynamodb_table.history.name
}

output "table_arn" {
  value = aws_dynamodb_table.history.arn
}

output "fingerprint_index_name" {
  description = "The GSI the SDK queries by fingerprint (by_fingerprint)."
  value       = local.fingerprint_ix
}

output "ttl_attribute" {
  description = "The attribute DynamoDB expires items by (epoch seconds, written by the SDK)."
  value       = "ttl"
}

output "backup_vault_arn" {
  description = "The table's backup vault (null when backup_schedule is \"none\")."
  value       = one(aws_backup_vault.history[*].arn)
}

output "backup_plan_id" {
  description = "The daily backup plan (null when backup_schedule is \"none\")."
  value       = one(aws_backup_plan.history[*].id)
}
