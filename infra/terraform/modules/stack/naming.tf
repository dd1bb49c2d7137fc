variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "synthdata"
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
