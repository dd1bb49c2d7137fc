# Test fixture, not an environment: the core of the backend (keys, buckets, history table and
# the action function with its role) in "dev", as tests/infra/test_apply_moto.py applies it
# to a moto server. The provider names no endpoint and no credentials here: the test writes
# zz_moto_override.tf beside this file in its temporary copy (Terraform merges *_override.tf
# files into the configuration), pointing every service at moto on 127.0.0.1.
terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project            = "synthdata"
      Environment        = local.environment
      Domain             = "datagen"
      Owner              = "platform"
      CostCenter         = "ci"
      DataClassification = "synthetic"
      Compliance         = "none"
      ManagedBy          = "terraform"
    }
  }
}

locals {
  environment = "dev"
}

data "aws_caller_identity" "current" {}

module "name" {
  source      = "../../modules/naming"
  project     = "synthdata"
  environment = local.environment
}

# The CI job that fills the shared cache: the one role the signing key lets sign.
resource "aws_iam_role" "cache_writer" {
  name = format(module.name.pattern.infra, "role", "cache-writer")
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountPrincipals"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = { Domain = "infra" }
}

module "kms" {
  source               = "../../modules/kms"
  environment          = local.environment
  writer_role_arns     = [aws_iam_role.cache_writer.arn]
  deletion_window_days = 7
}

module "storage" {
  source          = "../../modules/storage"
  environment     = local.environment
  account_id      = data.aws_caller_identity.current.account_id
  data_key_arn    = module.kms.data_key_arn
  expiration_days = 90
  dataset_prefix  = var.dataset_prefix
  template_files  = var.template_files
  # the test destroys what it applied, datasets included
  force_destroy = true
}

module "history" {
  source       = "../../modules/history"
  environment  = local.environment
  data_key_arn = module.kms.data_key_arn
}

module "functions" {
  source                 = "../../modules/functions"
  environment            = local.environment
  function_zip           = var.function_zip
  layer_zip              = var.layer_zip
  memory_mb              = 1024
  reserved_concurrency   = 5
  log_retention_days     = 365 # a year, as checkov requires of every log group
  logs_key_arn           = module.kms.logs_key_arn
  data_key_arn           = module.kms.data_key_arn
  data_bucket_name       = module.storage.data_bucket_name
  data_bucket_arn        = module.storage.data_bucket_arn
  dataset_prefix         = var.dataset_prefix
  table_name             = module.history.table_name
  table_arn              = module.history.table_arn
  fingerprint_index_name = module.history.fingerprint_index_name
  max_rows               = 1000
}
