# Interface (contract used by the environments); the resources live in main.tf. The
# environments instantiate this module only when var.enable_agent is true (Agents Classic
# takes no new accounts since 2026-07-30).
variable "account_id" {
  type = string
}

variable "function_arn" {
  type = string
}

variable "function_name" {
  type = string
}

variable "agent_key_arn" {
  type = string
}

variable "foundation_model" {
  description = "Foundation model id the agent runs on."
  type        = string
}

variable "openapi_path" {
  description = "The action group's OpenAPI document (infra/schemas/action-group-openapi.json)."
  type        = string
}

variable "guardrail" {
  description = "Optional guardrail: { id, version }."
  type        = object({ id = string, version = string })
  default     = null
}

output "agent_id" {
  value = null
}

output "agent_alias_id" {
  value = null
}

output "agent_arn" {
  value = null
}
