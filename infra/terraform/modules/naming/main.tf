# The naming convention, in one place:
#   {project}-{domain}-{resource-type}-{environment}-{description}
# with domain one of datagen, schema, quality, infra and a resource type without hyphens
# (s3, ddb, lambda, layer, role, policy, kms, logs, sns, alarm, dash, aoss, kb, agent).
# Use: format(module.name.pattern.datagen, "s3", "datasets") is
# "synthdata-datagen-s3-dev-datasets". Bucket names append "-<account id>".
terraform {
  required_version = ">= 1.7"
}

variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.project))
    error_message = "project must be 2-16 lowercase letters and digits, starting with a letter."
  }
}

variable "environment" {
  description = "Deployment environment: dev, stg or prod."
  type        = string
  validation {
    condition     = contains(["dev", "stg", "prod"], var.environment)
    error_message = "environment must be dev, stg or prod."
  }
}

output "pattern" {
  description = "Per domain, a format() pattern taking the resource type and the description."
  value = {
    for domain in ["datagen", "schema", "quality", "infra"] :
    domain => "${var.project}-${domain}-%s-${var.environment}-%s"
  }
}
