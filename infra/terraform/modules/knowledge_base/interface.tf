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

output "knowledge_base_id" {
  value = null
}

output "collection_arn" {
  value = null
}
