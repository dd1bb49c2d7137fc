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
  default     = null
}

variable "guardrail" {
  description = "Optional guardrail: { id, version }."
  type        = object({ id = string, version = string })
  default     = null
}

variable "idle_session_ttl_s" {
  description = "Seconds of inactivity after which the agent forgets a session (60-3600)."
  type        = number
  default     = 900
  validation {
    condition     = var.idle_session_ttl_s >= 60 && var.idle_session_ttl_s <= 3600
    error_message = "idle_session_ttl_s must be between 60 and 3600 seconds."
  }
}

output "agent_id" {
  value = aws_bedrockagent_agent.this.agent_id
}

output "agent_alias_id" {
  value = aws_bedrockagent_agent_alias.live.agent_alias_id
}

output "agent_arn" {
  value = aws_bedrockagent_agent.this.agent_arn
}

output "agent_alias_arn" {
  description = "What a caller needs bedrock:InvokeAgent on."
  value       = aws_bedrockagent_agent_alias.live.agent_alias_arn
}

output "role_arn" {
  description = "The agent's service role."
  value       = aws_iam_role.agent.arn
}
