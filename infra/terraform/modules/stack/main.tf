# The composition every environment deploys: envs/<env> only configures the providers and
# passes its terraform.tfvars here, so dev, stg and prod cannot drift apart in structure.
locals {
  embedding_model_arn = "arn:aws:bedrock:${var.region}::foundation-model/${var.embedding_model}"
}

module "kms" {
  source           = "../kms"
  project          = var.project
  environment      = var.environment
  writer_role_arns = var.writer_role_arns
  reader_role_arns = var.reader_role_arns
}

module "storage" {
  source          = "../storage"
  project         = var.project
  environment     = var.environment
  account_id      = var.account_id
  data_key_arn    = module.kms.data_key_arn
  expiration_days = var.data_retention_days
  template_files  = var.template_files
  dataset_prefix  = var.dataset_prefix
  # the access logs are kept as long as the function's logs
  log_retention_days = var.log_retention_days
}

module "history" {
  #checkov:skip=CKV_AWS_28:point-in-time recovery follows the environment table (prod only; dev and stg keep no backups or daily ones), set in terraform.tfvars
  source                 = "../history"
  project                = var.project
  environment            = var.environment
  data_key_arn           = module.kms.data_key_arn
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  backup_schedule        = var.daily_backups ? "daily" : "none"
  backup_retention_days  = var.backup_retention_days
  backup_copy_vault_arn  = one(aws_backup_vault.replica[*].arn)
}

module "functions" {
  source                 = "../functions"
  project                = var.project
  environment            = var.environment
  function_zip           = var.function_zip
  layer_zip              = var.layer_zip
  memory_mb              = var.memory_mb
  reserved_concurrency   = var.reserved_concurrency
  log_retention_days     = var.log_retention_days
  logs_key_arn           = module.kms.logs_key_arn
  data_key_arn           = module.kms.data_key_arn
  data_bucket_name       = module.storage.data_bucket_name
  data_bucket_arn        = module.storage.data_bucket_arn
  table_name             = module.history.table_name
  table_arn              = module.history.table_arn
  fingerprint_index_name = module.history.fingerprint_index_name
  dataset_prefix         = var.dataset_prefix
}

module "monitoring" {
  source        = "../monitoring"
  project       = var.project
  environment   = var.environment
  function_name = module.functions.function_name
  table_name    = module.history.table_name
  logs_key_arn  = module.kms.logs_key_arn
  alarm_emails  = var.alarm_emails
}

module "knowledge_base" {
  source               = "../knowledge_base"
  count                = var.enable_knowledge_base ? 1 : 0
  project              = var.project
  environment          = var.environment
  account_id           = var.account_id
  templates_bucket_arn = module.storage.templates_bucket_arn
  agent_key_arn        = module.kms.agent_key_arn
  embedding_model_arn  = local.embedding_model_arn
  search_capacity_ocu  = var.search_capacity_ocu
  standby_replicas     = var.search_standby_replicas
  index_admin_arns     = var.search_index_admin_arns
  # the templates bucket's objects are encrypted with the data key
  templates_key_arn = module.kms.data_key_arn
}

module "agent" {
  source           = "../agent"
  count            = var.enable_agent ? 1 : 0
  project          = var.project
  environment      = var.environment
  account_id       = var.account_id
  function_arn     = module.functions.function_arn
  function_name    = module.functions.function_name
  agent_key_arn    = module.kms.agent_key_arn
  foundation_model = var.foundation_model
}
