variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "synthdata"
  # OpenSearch Serverless names have 32 characters at most: "<project>-schema-aoss-prod-kb".
  validation {
    condition     = length(var.project) <= 12
    error_message = "project must be at most 12 characters here: OpenSearch Serverless names (<project>-schema-aoss-<environment>-kb) are limited to 32."
  }
}

variable "environment" {
  description = "Deployment environment: dev, stg or prod."
  type        = string
}

module "name" {
  source      = "../naming"
  project     = var.project
  environment = var.environment
}

locals {
  # format(local.name.datagen, "s3", "datasets") is "synthdata-datagen-s3-<env>-datasets"
  name = module.name.pattern
}
