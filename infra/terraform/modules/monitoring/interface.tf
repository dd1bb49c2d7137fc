# Interface (contract used by the environments); the resources live in main.tf.
variable "function_name" {
  type = string
}

variable "table_name" {
  type = string
}

variable "logs_key_arn" {
  description = "KMS key for the SNS topic."
  type        = string
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "p95_duration_ms" {
  description = "Alarm threshold on the function's p95 duration."
  type        = number
  default     = 120000
}

output "topic_arn" {
  value = null
}

output "dashboard_name" {
  value = null
}
