# The settings that differ between environments; envs/<env>/terraform.tfvars sets them.
variable "account_id" {
  description = "AWS account id (bucket names end with it)."
  type        = string
}

variable "region" {
  description = "Region of the stack (the embedding model's ARN names it)."
  type        = string
}

variable "memory_mb" {
  description = "Lambda memory: 1024 / 1536 / 2048 for dev / stg / prod."
  type        = number
  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions of the function: 5 / 10 / 50."
  type        = number
  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be at least 1 (0 would stop the function)."
  }
}

variable "search_capacity_ocu" {
  description = "OpenSearch Serverless capacity of the knowledge base: 2 / 4 / 8 OCU."
  type        = number
}

variable "data_retention_days" {
  description = "Days datasets (and their noncurrent versions) are kept: 90 / 365 / 730."
  type        = number
  validation {
    condition     = var.data_retention_days >= 1
    error_message = "data_retention_days must be at least 1."
  }
}

variable "log_retention_days" {
  description = "CloudWatch log retention: 30 / 90 / 365 (a value CloudWatch accepts)."
  type        = number
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's retention values (30, 90, 365...)."
  }
}

variable "daily_backups" {
  description = "A daily AWS Backup plan of the history table (stg, prod)."
  type        = bool
}

variable "point_in_time_recovery" {
  description = "Point-in-time recovery on the history table (prod)."
  type        = bool
}

variable "cross_region_backup" {
  description = "Copy each daily backup to a vault in the aws.replica provider's region (prod)."
  type        = bool
  validation {
    condition     = !var.cross_region_backup || var.daily_backups
    error_message = "cross_region_backup copies the daily backups: set daily_backups = true too."
  }
}

variable "backup_retention_days" {
  description = "Days a daily backup (and its cross-region copy) is kept."
  type        = number
  default     = 35
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection on the history table (prod)."
  type        = bool
  default     = false
}

variable "search_standby_replicas" {
  description = "OpenSearch Serverless standby replicas in a second Availability Zone (doubles the minimum OCUs)."
  type        = bool
  default     = true
}

variable "enable_agent" {
  description = "Create the Bedrock agent (Agents Classic takes no new accounts since 2026-07-30)."
  type        = bool
  default     = false
}

variable "enable_knowledge_base" {
  description = "Create the knowledge base (OpenSearch Serverless collection, the largest running cost)."
  type        = bool
  default     = false
}

variable "function_zip" {
  description = "The function zip built by `synthdata backend package`."
  type        = string
}

variable "layer_zip" {
  description = "The layer zip built by `synthdata backend package`."
  type        = string
}

variable "template_files" {
  description = "Object key => local file uploaded to the templates bucket (the knowledge base's content)."
  type        = map(string)
  default     = {}
}

variable "foundation_model" {
  description = "Foundation model id the agent runs on."
  type        = string
}

variable "embedding_model" {
  description = "Embedding model id of the knowledge base."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "writer_role_arns" {
  description = "Roles allowed to sign shared-cache manifests (the CI job that fills the cache)."
  type        = list(string)
  default     = []
}

variable "reader_role_arns" {
  description = "Roles allowed to verify shared-cache manifests."
  type        = list(string)
  default     = []
}

variable "dataset_prefix" {
  description = "Key prefix of datasets and sessions in the data bucket (SYNTHDATA_PREFIX)."
  type        = string
  default     = "synthdata"
}

variable "search_index_admin_arns" {
  description = "Principals allowed to create the knowledge base's vector index (the deployer, once: docs/infra.md)."
  type        = list(string)
  default     = []
}
