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
  validation {
    condition     = var.deletion_window_days >= 7 && var.deletion_window_days <= 30
    error_message = "deletion_window_days must be between 7 and 30."
  }
}

variable "log_group_name_pattern" {
  description = "Log group names (ArnLike wildcards) CloudWatch Logs may encrypt with the logs key; null: the project's names in this environment, *<project>-*-<environment>-* (as /aws/lambda/synthdata-datagen-lambda-dev-actions)."
  type        = string
  default     = null
}

variable "bedrock_role_name_pattern" {
  description = "Role names (ArnLike wildcards) that may use the agent key directly, as a knowledge base's ingestion does; null: the schema domain's roles of this environment, <project>-schema-role-<environment>-* (the agent's and the knowledge base's)."
  type        = string
  default     = null
}

output "data_key_arn" {
  description = "Symmetric key for the dataset bucket (SSE-KMS) and the history table."
  value       = aws_kms_key.symmetric["data"].arn
}

output "logs_key_arn" {
  description = "Symmetric key for CloudWatch log groups and the SNS topic."
  value       = aws_kms_key.symmetric["logs"].arn
}

output "agent_key_arn" {
  description = "Symmetric key for the Bedrock agent and the knowledge base."
  value       = aws_kms_key.symmetric["agent"].arn
}

output "signing_key_arn" {
  description = "Asymmetric ECC_NIST_P256 SIGN_VERIFY key for shared-cache manifests."
  value       = aws_kms_key.signing.arn
}

output "signing_key_alias" {
  description = "Alias of the signing key (alias/...), what synthdata cache push --signing-key takes."
  value       = aws_kms_alias.signing.name
}

output "key_aliases" {
  description = "Alias of each key (alias/...): data, logs, agent, signing."
  value = merge(
    { for name, alias in aws_kms_alias.symmetric : name => alias.name },
    { signing = aws_kms_alias.signing.name },
  )
}
