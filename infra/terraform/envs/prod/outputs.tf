output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "stack" {
  description = "Every output of the stack (names, ARNs, ids, optional parts)."
  value       = module.stack
}

output "sdk_environment" {
  description = "The settings the SDK, the CLI and the pytest plugin read (docs/infra.md)."
  value = {
    SYNTHDATA_BACKEND        = "lambda"
    SYNTHDATA_REGION         = var.region
    SYNTHDATA_FUNCTION_NAME  = module.stack.function_name
    SYNTHDATA_BUCKET         = module.stack.data_bucket_name
    SYNTHDATA_PREFIX         = var.dataset_prefix
    SYNTHDATA_SHARED_CACHE   = module.stack.datasets_uri
    SYNTHDATA_SIGNING_KEY    = module.stack.signing_key_alias
    SYNTHDATA_AGENT_ID       = module.stack.agent_id
    SYNTHDATA_AGENT_ALIAS_ID = module.stack.agent_alias_id
  }
}
