# One environment's root. The same file in envs/dev, envs/stg and envs/prod (a test keeps
# them identical): what differs is terraform.tfvars and the backend configuration.
terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
  # Partial configuration: terraform init -backend-config=backend.hcl (see
  # backend.hcl.example); terraform init -backend=false validates without it.
  backend "s3" {}
}

locals {
  default_tags = {
    Project            = var.project
    Environment        = var.environment
    Domain             = "datagen"
    Owner              = var.owner
    CostCenter         = var.cost_center
    DataClassification = var.data_classification
    Compliance         = var.compliance
    ManagedBy          = "terraform"
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.default_tags
  }
}

# The region backups are copied to (used when cross_region_backup is true).
provider "aws" {
  alias  = "replica"
  region = var.replica_region
  default_tags {
    tags = local.default_tags
  }
}

data "aws_caller_identity" "current" {}

module "stack" {
  source = "../../modules/stack"
  providers = {
    aws         = aws
    aws.replica = aws.replica
  }
  project                 = var.project
  environment             = var.environment
  account_id              = data.aws_caller_identity.current.account_id
  region                  = var.region
  memory_mb               = var.memory_mb
  reserved_concurrency    = var.reserved_concurrency
  search_capacity_ocu     = var.search_capacity_ocu
  search_standby_replicas = var.search_standby_replicas
  search_index_admin_arns = var.search_index_admin_arns
  data_retention_days     = var.data_retention_days
  log_retention_days      = var.log_retention_days
  daily_backups           = var.daily_backups
  point_in_time_recovery  = var.point_in_time_recovery
  cross_region_backup     = var.cross_region_backup
  deletion_protection     = var.deletion_protection
  backup_retention_days   = var.backup_retention_days
  enable_agent            = var.enable_agent
  enable_knowledge_base   = var.enable_knowledge_base
  function_zip            = "${var.package_dir}/function.zip"
  layer_zip               = "${var.package_dir}/layer.zip"
  template_files          = jsondecode(file("${var.package_dir}/package.json")).template_files
  foundation_model        = var.foundation_model
  embedding_model         = var.embedding_model
  alarm_emails            = var.alarm_emails
  writer_role_arns        = var.writer_role_arns
  reader_role_arns        = var.reader_role_arns
  dataset_prefix          = var.dataset_prefix
}
