# Declared here, checked in modules/stack (validations), set in terraform.tfvars.
variable "project" {
  type    = string
  default = "synthdata"
}

variable "environment" {
  description = "dev, stg or prod."
  type        = string
}

variable "region" {
  type = string
}

variable "replica_region" {
  description = "Region of the cross-region backup copies."
  type        = string
}

# Required tags (provider default_tags)
variable "owner" {
  type = string
}

variable "cost_center" {
  type = string
}

variable "data_classification" {
  type = string
}

variable "compliance" {
  type = string
}

# Sizing and retention (the architecture review's table, docs/infra.md)
variable "memory_mb" {
  type = number
}

variable "reserved_concurrency" {
  type = number
}

variable "search_capacity_ocu" {
  type = number
}

variable "data_retention_days" {
  type = number
}

variable "log_retention_days" {
  type = number
}

variable "daily_backups" {
  type = bool
}

variable "point_in_time_recovery" {
  type = bool
}

variable "cross_region_backup" {
  type = bool
}

variable "deletion_protection" {
  type    = bool
  default = false
}

variable "search_standby_replicas" {
  type    = bool
  default = true
}

variable "backup_retention_days" {
  type    = number
  default = 35
}

# Optional parts
variable "enable_agent" {
  description = "The Bedrock agent: only on accounts that still have Agents Classic."
  type        = bool
  default     = false
}

variable "enable_knowledge_base" {
  type    = bool
  default = false
}

variable "search_index_admin_arns" {
  description = "Who creates the vector index once (docs/infra.md, step 6)."
  type        = list(string)
  default     = []
}

# Packaging: `synthdata backend package --with-dependencies` writes function.zip, layer.zip
# and package.json (the template files) into build/lambda at the repository's root; the
# default is that folder, relative to this one (where terraform runs)
variable "package_dir" {
  type    = string
  default = "../../../../build/lambda"
}

variable "dataset_prefix" {
  type    = string
  default = "synthdata"
}

variable "foundation_model" {
  type    = string
  default = "anthropic.claude-3-5-haiku-20241022-v1:0"
}

variable "embedding_model" {
  type    = string
  default = "amazon.titan-embed-text-v2:0"
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "writer_role_arns" {
  type    = list(string)
  default = []
}

variable "reader_role_arns" {
  type    = list(string)
  default = []
}
