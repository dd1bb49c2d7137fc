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

variable "error_threshold" {
  description = "Function errors (failed invocations, timeouts included) in one period that raise the alarm."
  type        = number
  default     = 1
}

variable "period_s" {
  description = "Length of the alarms' evaluation period, in seconds (a multiple of 60)."
  type        = number
  default     = 300
  validation {
    condition     = var.period_s >= 60 && var.period_s % 60 == 0
    error_message = "period_s must be a multiple of 60 seconds."
  }
}

variable "table_operations" {
  description = "DynamoDB operations the function calls on the history table; ThrottledRequests is published per operation."
  type        = list(string)
  default     = ["GetItem", "PutItem", "Query", "UpdateItem"]
  validation {
    condition     = length(var.table_operations) >= 1 && length(var.table_operations) <= 9
    error_message = "an alarm's metric math takes at most 10 metrics: name 1 to 9 operations."
  }
}

output "topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  value = aws_cloudwatch_dashboard.backend.dashboard_name
}

output "alarm_arns" {
  description = "Alarm ARNs by what they watch."
  value = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.arn },
    { ddbthrottled = aws_cloudwatch_metric_alarm.ddbthrottled.arn },
  )
}
