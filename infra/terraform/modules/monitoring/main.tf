# Operational signals of the backend (quality domain): alarms on the action function and the
# history table, an encrypted SNS topic they notify, and one dashboard.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  topic_name     = format(local.name.quality, "sns", "alarms")
  dashboard_name = format(local.name.quality, "dash", "backend")

  lambda_dimensions = { FunctionName = var.function_name }
  table_dimensions  = { TableName = var.table_name }

  # One alarm per signal. Missing data is not breaching: an idle function publishes nothing.
  alarms = {
    fnerrors = {
      description = "The action function failed ${var.error_threshold} or more times in ${var.period_s} s (exceptions and timeouts; a 4xx answer is not an error). Read the function's log group for the request ids."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = local.lambda_dimensions
      statistic   = "Sum"
      percentile  = null
      threshold   = var.error_threshold
      periods     = 1
      datapoints  = 1
    }
    fnthrottles = {
      description = "Invocations of the action function were refused: its reserved concurrency is exhausted. Raise reserved_concurrency or spread the requests."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = local.lambda_dimensions
      statistic   = "Sum"
      percentile  = null
      threshold   = 1
      periods     = 1
      datapoints  = 1
    }
    fnp95 = {
      description = "The action function's p95 duration is over ${var.p95_duration_ms} ms in 2 of 3 periods: large requests are nearing the timeout. Check the rows asked for and the memory size."
      namespace   = "AWS/Lambda"
      metric      = "Duration"
      dimensions  = local.lambda_dimensions
      statistic   = null
      percentile  = "p95"
      threshold   = var.p95_duration_ms
      periods     = 3
      datapoints  = 2
    }
    ddbreadthrottle = {
      description = "Reads of the history table were throttled (ReadThrottleEvents). The function retries, then answers 503 storage_unavailable."
      namespace   = "AWS/DynamoDB"
      metric      = "ReadThrottleEvents"
      dimensions  = local.table_dimensions
      statistic   = "Sum"
      percentile  = null
      threshold   = 1
      periods     = 1
      datapoints  = 1
    }
    ddbwritethrottle = {
      description = "Writes to the history table were throttled (WriteThrottleEvents). The function retries, then answers 503 storage_unavailable."
      namespace   = "AWS/DynamoDB"
      metric      = "WriteThrottleEvents"
      dimensions  = local.table_dimensions
      statistic   = "Sum"
      percentile  = null
      threshold   = 1
      periods     = 1
      datapoints  = 1
    }
  }

  # ThrottledRequests exists only per (table, operation): summed over the function's operations.
  throttled_ids = [for index, _ in var.table_operations : "m${index}"]
}

resource "aws_sns_topic" "alarms" {
  name              = local.topic_name
  display_name      = "synthdata ${var.environment} alarms"
  kms_master_key_id = var.logs_key_arn
  tags              = { Domain = "quality" }
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ThisAccountsAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*" }
        }
      },
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sns:Publish", "sns:Subscribe"]
        Resource  = aws_sns_topic.alarms.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = format(local.name.quality, "alarm", each.key)
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.percentile
  period              = var.period_s
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.datapoints
  threshold           = each.value.threshold
  comparison_operator = each.value.percentile == null ? "GreaterThanOrEqualToThreshold" : "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  # A percentile of a handful of calls says little: wait for enough samples.
  evaluate_low_sample_count_percentiles = each.value.percentile == null ? null : "ignore"
  actions_enabled                       = true
  alarm_actions                         = [aws_sns_topic.alarms.arn]
  ok_actions                            = [aws_sns_topic.alarms.arn]
  tags                                  = { Domain = "quality" }
}

resource "aws_cloudwatch_metric_alarm" "ddbthrottled" {
  alarm_name          = format(local.name.quality, "alarm", "ddbthrottled")
  alarm_description   = "Requests to the history table were throttled (ThrottledRequests over ${join(", ", var.table_operations)}). The function retries, then answers 503 storage_unavailable."
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = { Domain = "quality" }

  metric_query {
    id          = "throttled"
    label       = "ThrottledRequests"
    expression  = "SUM([${join(", ", local.throttled_ids)}])"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = var.table_operations
    content {
      id = local.throttled_ids[metric_query.key]
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = "ThrottledRequests"
        dimensions  = merge(local.table_dimensions, { Operation = metric_query.value })
        stat        = "Sum"
        period      = var.period_s
      }
    }
  }
}

resource "aws_cloudwatch_dashboard" "backend" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Action function: invocations and errors"
          region = local.region
          view   = "timeSeries"
          period = var.period_s
          stat   = "Sum"
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", var.function_name, { label = "invocations" }],
            ["AWS/Lambda", "Errors", "FunctionName", var.function_name, { label = "errors" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Action function: throttles and concurrency"
          region = local.region
          view   = "timeSeries"
          period = var.period_s
          metrics = [
            ["AWS/Lambda", "Throttles", "FunctionName", var.function_name, { stat = "Sum", label = "throttles" }],
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", var.function_name, { stat = "Maximum", label = "concurrent executions (max)" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Action function: duration (ms)"
          region = local.region
          view   = "timeSeries"
          period = var.period_s
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", var.function_name, { stat = "p50", label = "p50" }],
            ["AWS/Lambda", "Duration", "FunctionName", var.function_name, { stat = "p95", label = "p95" }],
          ]
          annotations = {
            horizontal = [{ label = "p95 alarm", value = var.p95_duration_ms }]
          }
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "History table: consumed capacity"
          region = local.region
          view   = "timeSeries"
          period = var.period_s
          stat   = "Sum"
          metrics = [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", var.table_name, { label = "read units" }],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", var.table_name, { label = "write units" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "History table: throttles"
          region = local.region
          view   = "timeSeries"
          period = var.period_s
          stat   = "Sum"
          metrics = concat(
            [
              ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.table_name, { label = "read throttle events" }],
              ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.table_name, { label = "write throttle events" }],
            ],
            [
              for operation in var.table_operations :
              ["AWS/DynamoDB", "ThrottledRequests", "TableName", var.table_name, "Operation", operation, { label = "throttled ${operation}" }]
            ],
          )
        }
      },
      {
        type = "alarm", x = 12, y = 12, width = 12, height = 6
        properties = {
          title = "Alarms"
          # built from the names, so the body is known when the plan is made
          alarms = [
            for key in concat(keys(local.alarms), ["ddbthrottled"]) :
            "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${format(local.name.quality, "alarm", key)}"
          ]
        }
      },
    ]
  })
}
