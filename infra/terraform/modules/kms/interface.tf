# Interface (contract used by the environments); the resources live in main.tf.
variable "writer_role_arns" {
  description = "Roles allowed kms:Sign with the manifest signing key (the CI job that fills the shared cache)."
  type        = list(string)
  default     = []
}

variable "reader_role_arns" {
  description = "Roles allowed kms:Verify and kms:GetPublicKey on the signing key (CI readers)."
  type        = list(string)
  default     = []
}

variable "deletion_window_days" {
  description = "Days a scheduled key deletion waits (7-30)."
  type        = number
  default     = 30
}

output "data_key_arn" {
  description = "Symmetric key for the dataset bucket (SSE-KMS) and the history table."
  value       = null
}

output "logs_key_arn" {
  description = "Symmetric key for CloudWatch log groups and the SNS topic."
  value       = null
}

output "agent_key_arn" {
  description = "Symmetric key for the Bedrock agent and the knowledge base."
  value       = null
}

output "signing_key_arn" {
  description = "Asymmetric ECC_NIST_P256 SIGN_VERIFY key for shared-cache manifests."
  value       = null
}

output "signing_key_alias" {
  description = "Alias of the signing key (alias/...), what synthdata cache push --signing-key takes."
  value       = null
}
