# Offline: the provider is mocked, so these check what the module asks AWS to create.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_sns_topic" {
    override_during = plan
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:synthdata-quality-sns-dev-alarms"
    }
  }
}

variables {
  environment   = "dev"
  function_name = "synthdata-datagen-lambda-dev-actions"
  table_name    = "synthdata-datagen-ddb-dev-history"
  logs_key_arn  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "names_follow_the_convention" {
  command = plan

  assert {
    condition = alltrue([
      for name in concat(
        [for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name],
        [aws_cloudwatch_metric_alarm.ddbthrottled.alarm_name, aws_sns_topic.alarms.name, aws_cloudwatch_dashboard.backend.dashboard_name],
      ) : can(regex("^synthdata-quality-(alarm|sns|dash)-dev-[a-z0-9]+$", name))
    ])
    error_message = "a name breaks {project}-{domain}-{type}-{environment}-{description}"
  }
  assert {
    condition = alltrue(concat(
      [for alarm in aws_cloudwatch_metric_alarm.this : alarm.tags["Domain"] == "quality"],
      [aws_sns_topic.alarms.tags["Domain"] == "quality", aws_cloudwatch_metric_alarm.ddbthrottled.tags["Domain"] == "quality"],
    ))
    error_message = "monitoring belongs to the quality domain"
  }
}

run "topic_is_encrypted_and_only_alarms_publish" {
  command = plan

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == var.logs_key_arn
    error_message = "the topic must be encrypted with the customer-managed key"
  }
  assert {
    condition     = jsondecode(aws_sns_topic_policy.alarms.policy).Statement[0].Principal == { Service = "cloudwatch.amazonaws.com" }
    error_message = "only CloudWatch may publish"
  }
  assert {
    condition     = jsondecode(aws_sns_topic_policy.alarms.policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"
    error_message = "only this account's alarms may publish"
  }
  assert {
    condition = alltrue([
      for statement in jsondecode(aws_sns_topic_policy.alarms.policy).Statement :
      statement.Resource == aws_sns_topic.alarms.arn
    ])
    error_message = "the topic policy must name the topic, never *"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "no subscription unless an address is given"
  }
}

run "email_subscriptions_when_given" {
  command = plan

  variables {
    alarm_emails = ["oncall@example.com", "data-team@example.com"]
  }

  assert {
    condition     = toset([for subscription in aws_sns_topic_subscription.email : subscription.endpoint]) == toset(var.alarm_emails)
    error_message = "one email subscription per address"
  }
  assert {
    condition     = alltrue([for subscription in aws_sns_topic_subscription.email : subscription.protocol == "email"])
    error_message = "protocol"
  }
}

run "function_alarms_watch_the_right_metrics" {
  command = plan

  variables {
    p95_duration_ms = 90000
  }

  assert {
    condition = {
      for key in ["fnerrors", "fnthrottles", "fnp95"] :
      key => [aws_cloudwatch_metric_alarm.this[key].namespace, aws_cloudwatch_metric_alarm.this[key].metric_name, aws_cloudwatch_metric_alarm.this[key].dimensions.FunctionName]
      } == {
      fnerrors    = ["AWS/Lambda", "Errors", var.function_name]
      fnthrottles = ["AWS/Lambda", "Throttles", var.function_name]
      fnp95       = ["AWS/Lambda", "Duration", var.function_name]
    }
    error_message = "the function's alarms watch Errors, Throttles and Duration"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["fnp95"].extended_statistic == "p95" && aws_cloudwatch_metric_alarm.this["fnp95"].statistic == null
    error_message = "the duration alarm is on p95"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["fnp95"].threshold == 90000 && aws_cloudwatch_metric_alarm.this["fnp95"].comparison_operator == "GreaterThanThreshold"
    error_message = "the p95 threshold is p95_duration_ms"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["fnerrors"].statistic == "Sum" && aws_cloudwatch_metric_alarm.this["fnerrors"].threshold == 1
    error_message = "one error raises the alarm by default"
  }
}

run "table_alarms_watch_throttling" {
  command = plan

  assert {
    condition = {
      for key in ["ddbreadthrottle", "ddbwritethrottle"] :
      key => [aws_cloudwatch_metric_alarm.this[key].namespace, aws_cloudwatch_metric_alarm.this[key].metric_name, aws_cloudwatch_metric_alarm.this[key].dimensions.TableName]
      } == {
      ddbreadthrottle  = ["AWS/DynamoDB", "ReadThrottleEvents", var.table_name]
      ddbwritethrottle = ["AWS/DynamoDB", "WriteThrottleEvents", var.table_name]
    }
    error_message = "read and write throttle events of the table"
  }
  assert {
    condition = toset(flatten([
      for query in aws_cloudwatch_metric_alarm.ddbthrottled.metric_query : [
        for metric in query.metric : metric.dimensions.Operation if metric.metric_name == "ThrottledRequests"
      ]
    ])) == toset(["GetItem", "PutItem", "Query", "UpdateItem"])
    error_message = "ThrottledRequests is summed over the function's operations"
  }
  assert {
    condition = alltrue(flatten([
      for query in aws_cloudwatch_metric_alarm.ddbthrottled.metric_query : [
        for metric in query.metric : metric.dimensions.TableName == var.table_name
      ]
    ]))
    error_message = "ThrottledRequests of the history table"
  }
  assert {
    condition     = [for query in aws_cloudwatch_metric_alarm.ddbthrottled.metric_query : query.expression if query.return_data == true] == ["SUM([m0, m1, m2, m3])"]
    error_message = "the alarm is on the sum"
  }
}

run "every_alarm_notifies_the_topic" {
  command = plan

  assert {
    condition = alltrue([
      for alarm in concat(values(aws_cloudwatch_metric_alarm.this), [aws_cloudwatch_metric_alarm.ddbthrottled]) :
      alarm.alarm_actions == toset([aws_sns_topic.alarms.arn]) && alarm.ok_actions == toset([aws_sns_topic.alarms.arn]) && alarm.actions_enabled
    ])
    error_message = "each alarm must notify the topic when it fires and when it clears"
  }
  assert {
    condition = alltrue([
      for alarm in concat(values(aws_cloudwatch_metric_alarm.this), [aws_cloudwatch_metric_alarm.ddbthrottled]) :
      alarm.treat_missing_data == "notBreaching"
    ])
    error_message = "an idle function must not raise alarms"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 5
    error_message = "five single-metric alarms"
  }
}

run "dashboard_shows_the_backend" {
  command = plan

  assert {
    condition = toset(flatten([
      for widget in jsondecode(aws_cloudwatch_dashboard.backend.dashboard_body).widgets : [
        for metric in try(widget.properties.metrics, []) : metric[1]
      ]
      ])) == toset([
      "Invocations", "Errors", "Throttles", "ConcurrentExecutions", "Duration",
      "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits",
      "ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests",
    ])
    error_message = "the dashboard must show invocations, errors, throttles, duration and the table's capacity and throttles"
  }
  assert {
    condition = toset(flatten([
      for widget in jsondecode(aws_cloudwatch_dashboard.backend.dashboard_body).widgets : [
        for metric in try(widget.properties.metrics, []) : metric[length(metric) - 1].stat if metric[1] == "Duration"
      ]
    ])) == toset(["p50", "p95"])
    error_message = "duration p50 and p95"
  }
  assert {
    condition = length([
      for widget in jsondecode(aws_cloudwatch_dashboard.backend.dashboard_body).widgets : widget
      if length(try(widget.properties.alarms, [])) == 6
    ]) == 1
    error_message = "an alarm widget lists the six alarms"
  }
}
