# What the test reads back (terraform output -json) to find the provisioned resources.
output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "data_key_arn" {
  value = module.kms.data_key_arn
}

output "logs_key_arn" {
  value = module.kms.logs_key_arn
}

output "signing_key_arn" {
  value = module.kms.signing_key_arn
}

output "signing_key_alias" {
  value = module.kms.signing_key_alias
}

output "data_bucket_name" {
  value = module.storage.data_bucket_name
}

output "templates_bucket_name" {
  value = module.storage.templates_bucket_name
}

output "log_bucket_name" {
  value = module.storage.log_bucket_name
}

output "dataset_prefix" {
  value = var.dataset_prefix
}

output "table_name" {
  value = module.history.table_name
}

output "fingerprint_index_name" {
  value = module.history.fingerprint_index_name
}

output "function_name" {
  value = module.functions.function_name
}

output "role_name" {
  value = module.functions.role_name
}

output "log_group_name" {
  value = module.functions.log_group_name
}

output "cache_writer_role_arn" {
  value = aws_iam_role.cache_writer.arn
}
