output "data_bucket_name" {
  description = "The dataset bucket: SYNTHDATA_BUCKET, and the shared cache's bucket."
  value       = module.storage.data_bucket_name
}

output "datasets_uri" {
  description = "SYNTHDATA_SHARED_CACHE: s3://<data bucket>/<dataset prefix>."
  value       = module.storage.datasets_uri
}

output "templates_bucket_name" {
  value = module.storage.templates_bucket_name
}

output "history_table_name" {
  description = "SYNTHDATA_HISTORY_TABLE."
  value       = module.history.table_name
}

output "function_name" {
  description = "SYNTHDATA_FUNCTION_NAME (the lambda backend)."
  value       = module.functions.function_name
}

output "data_key_arn" {
  description = "SYNTHDATA_KMS_KEY_ID: the key dataset parts are encrypted with."
  value       = module.kms.data_key_arn
}

output "signing_key_alias" {
  description = "SYNTHDATA_SIGNING_KEY: signs and verifies shared-cache manifests."
  value       = module.kms.signing_key_alias
}

output "alarm_topic_arn" {
  value = module.monitoring.topic_arn
}

output "dashboard_name" {
  value = module.monitoring.dashboard_name
}

output "agent_id" {
  description = "SYNTHDATA_AGENT_ID, null without enable_agent."
  value       = one(module.agent[*].agent_id)
}

output "agent_alias_id" {
  description = "SYNTHDATA_AGENT_ALIAS_ID, null without enable_agent."
  value       = one(module.agent[*].agent_alias_id)
}

output "knowledge_base_id" {
  description = "Null without enable_knowledge_base."
  value       = one(module.knowledge_base[*].knowledge_base_id)
}

output "knowledge_base" {
  description = "Every output of the knowledge base module (collection endpoint, vector index...); null without it."
  value       = one(module.knowledge_base)
}

output "instances" {
  description = "How many of each optional part this environment creates."
  value = {
    agent          = length(module.agent)
    knowledge_base = length(module.knowledge_base)
    backup_plan    = module.history.backup_plan_id == null ? 0 : 1
    replica_vault  = length(aws_backup_vault.replica)
  }
}

output "backup_copy_vault_arn" {
  description = "The vault in the replica region daily backups are copied to (null without cross_region_backup)."
  value       = one(aws_backup_vault.replica[*].arn)
}

output "search_capacity_limits" {
  description = "Account-level OpenSearch Serverless limits to set once (no Terraform resource): docs/infra.md."
  value       = one(module.knowledge_base[*].capacity_limits)
}
