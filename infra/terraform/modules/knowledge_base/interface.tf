# Interface (contract used by the environments); the resources live in main.tf.
variable "account_id" {
  type = string
}

variable "templates_bucket_arn" {
  type = string
}

variable "agent_key_arn" {
  type = string
}

variable "embedding_model_arn" {
  type = string
}

variable "search_capacity_ocu" {
  description = "OpenSearch Serverless capacity: 2 / 4 / 8 OCU for dev / stg / prod."
  type        = number
}

variable "templates_key_arn" {
  description = "KMS key the templates bucket's objects are encrypted with (the data key); null when the bucket uses no customer-managed key."
  type        = string
  default     = null
}

variable "embedding_dimensions" {
  description = "Length of the embedding model's vectors (Titan Text Embeddings V2: 256, 512 or 1024)."
  type        = number
  default     = 1024
}

variable "vector_index_name" {
  description = "The collection's vector index the knowledge base writes to (created before the knowledge base: see README)."
  type        = string
  default     = "synthdata-templates"
}

variable "allow_public_access" {
  description = "Open the collection's endpoint to the internet (still behind IAM and the data-access policy). Off: only Bedrock and the VPC endpoints in vpc_endpoint_ids reach it."
  type        = bool
  default     = false
}

variable "vpc_endpoint_ids" {
  description = "OpenSearch Serverless VPC endpoints allowed to reach the collection (where index administrators connect from)."
  type        = list(string)
  default     = []
}

variable "index_admin_arns" {
  description = "Principals allowed to create and describe the vector index (the deployer), besides the knowledge base's role."
  type        = list(string)
  default     = []
}

variable "standby_replicas" {
  description = "Keep standby replicas in a second Availability Zone (doubles the minimum OCUs)."
  type        = bool
  default     = true
}

output "knowledge_base_id" {
  value = aws_bedrockagent_knowledge_base.templates.id
}

output "collection_arn" {
  value = aws_opensearchserverless_collection.kb.arn
}

output "knowledge_base_arn" {
  value = aws_bedrockagent_knowledge_base.templates.arn
}

output "data_source_id" {
  description = "What `aws bedrock-agent start-ingestion-job --data-source-id` takes."
  value       = aws_bedrockagent_data_source.templates.data_source_id
}

output "collection_endpoint" {
  value = aws_opensearchserverless_collection.kb.collection_endpoint
}

output "role_arn" {
  description = "The knowledge base's service role."
  value       = aws_iam_role.kb.arn
}

output "vector_index" {
  description = "The vector index to create in the collection before the knowledge base: its name and its mapping (the body of PUT /<name>)."
  value = {
    name    = var.vector_index_name
    mapping = local.index_mapping
  }
}

output "capacity_limits" {
  description = "Account-level OpenSearch Serverless limits to set (aws opensearchserverless update-account-settings): the provider has no resource for them."
  value = {
    max_indexing_capacity_in_ocu = var.search_capacity_ocu
    max_search_capacity_in_ocu   = var.search_capacity_ocu
  }
}
