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

output "table_name" {
  value = null
}

output "table_arn" {
  value = null
}

output "fingerprint_index_name" {
  description = "The GSI the SDK queries by fingerprint (by_fingerprint)."
  value       = null
}
