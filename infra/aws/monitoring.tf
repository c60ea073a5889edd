# Cloudwarden's own telemetry on AWS (docs/TELEMETRY.md): the functions write their metrics as CloudWatch embedded
# metric format lines (functions/aws EmfMetrics) into their log groups, in local.metrics_namespace; every metric is
# published without dimensions (the total: what the alarms watch), per attribute (cloud, service, outcome, ...) and per
# full attribute set. Metric names are the instrument names of CloudwardenMetrics; tests/integration
# (infra/TelemetryNamesTest) fails when a name here is not one the code emits.

locals {
  metrics_namespace = "Cloudwarden/${var.name_prefix}"

  # SEARCH expressions of the dashboard: one line per value of the attribute.
  search = {
    for k, v in {
      scanned   = ["cloud", "cloudwarden.resources.scanned"]
      calls     = ["cloud", "cloudwarden.api.calls"]
      throttles = ["service", "cloudwarden.api.throttles"]
      unread    = ["cloud", "cloudwarden.shards.unread"]
      findings  = ["severity", "cloudwarden.findings"]
      plans     = ["outcome", "cloudwarden.remediation.plans"]
      chatops   = ["outcome", "cloudwarden.chatops.requests"]
    } : k => "SEARCH('{\"${local.metrics_namespace}\",${v[0]}} MetricName=\"${v[1]}\"', 'Sum', 300)"
  }
}

resource "aws_cloudwatch_dashboard" "cloudwarden" {
  dashboard_name = "${var.name_prefix}-cloudwarden"

  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 8, height = 6
        properties = {
          title   = "Resources scanned (by cloud)", region = var.region, stat = "Sum", period = 300
          metrics = [[{ expression = local.search.scanned, id = "scanned" }]]
        }
      },
      {
        type = "metric", x = 8, y = 0, width = 8, height = 6
        properties = {
          title   = "Shards unread (by cloud)", region = var.region, stat = "Sum", period = 300
          metrics = [[{ expression = local.search.unread, id = "unread" }]]
        }
      },
      {
        type = "metric", x = 16, y = 0, width = 8, height = 6
        properties = {
          title   = "Findings reported (by severity)", region = var.region, stat = "Sum", period = 300
          metrics = [[{ expression = local.search.findings, id = "findings" }]]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 8, height = 6
        properties = {
          title   = "Cloud API calls (by cloud) and throttles (by service)", region = var.region, stat = "Sum", period = 300
          metrics = [[{ expression = local.search.calls, id = "calls" }], [{ expression = local.search.throttles, id = "throttles" }]]
        }
      },
      {
        type = "metric", x = 8, y = 6, width = 8, height = 6
        properties = {
          title   = "Remediation plans (by outcome)", region = var.region, stat = "Sum", period = 300
          metrics = [[{ expression = local.search.plans, id = "plans" }]]
        }
      },
      {
        type = "metric", x = 16, y = 6, width = 8, height = 6
        properties = {
          title = "Breaker trips and chatops requests (by outcome)", region = var.region, stat = "Sum", period = 300
          metrics = [
            [local.metrics_namespace, "cloudwarden.remediation.breaker.trips"],
            [{ expression = local.search.chatops, id = "chatops" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title = "Seconds spent: scans, evaluations, event to finding", region = var.region, stat = "Sum", period = 300
          metrics = [
            [local.metrics_namespace, "cloudwarden.scan.duration"],
            [local.metrics_namespace, "cloudwarden.evaluation.duration"],
            [local.metrics_namespace, "cloudwarden.event.latency"],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title = "Function errors and throttles", region = var.region, stat = "Sum", period = 300
          metrics = concat(
            [for k in keys(local.functions) : ["AWS/Lambda", "Errors", "FunctionName", aws_lambda_function.fn[k].function_name]],
            [for k in keys(local.functions) : ["AWS/Lambda", "Throttles", "FunctionName", aws_lambda_function.fn[k].function_name]],
            [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name, { stat = "Maximum" }]],
          )
        }
      },
    ]
  })
}

# --- alarms: each names what it watches and what to do first (alarm_description is shown in the notification) ---

resource "aws_cloudwatch_metric_alarm" "shards_unread" {
  alarm_name          = "${var.name_prefix}-shards-unread"
  alarm_description   = "A scan could not read some shards (failed, unopened session, missing at the fan-out deadline): their resources keep their previous state. See the snapshot's errors (cloudwarden status) and the function logs."
  namespace           = local.metrics_namespace
  metric_name         = "cloudwarden.shards.unread"
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "remediation" {
  for_each = {
    failed = "A remediation failed to apply or its verification failed: the resource may be half-changed. See the audit trail (remediation.apply / remediation.verify)."
    halted = "A rollout halted at a failing resource: later waves were not applied. See cloudwarden status and the audit trail (remediation.rollout)."
  }

  alarm_name          = "${var.name_prefix}-remediation-${each.key}"
  alarm_description   = each.value
  namespace           = local.metrics_namespace
  metric_name         = "cloudwarden.remediation.plans"
  dimensions          = { outcome = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "breaker_trips" {
  alarm_name          = "${var.name_prefix}-breaker-trips"
  alarm_description   = "The blast-radius breaker stopped a run's remediation (more changes than maxChangesPerRun): nothing was applied. Check what changed in the estate before raising the limit."
  namespace           = local.metrics_namespace
  metric_name         = "cloudwarden.remediation.breaker.trips"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "throttling" {
  alarm_name          = "${var.name_prefix}-throttling"
  alarm_description   = "Cloud APIs throttle Cloudwarden's calls: scans slow down and shards may fail. Lower the scan parallelism (CLOUDWARDEN_SCAN_PARALLELISM) or spread the schedule; the dashboard shows which service."
  namespace           = local.metrics_namespace
  metric_name         = "cloudwarden.api.throttles"
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 1
  threshold           = var.throttle_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed invocations (Lambda Errors). See its log group ${aws_cloudwatch_log_group.fn[each.key].name}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name_prefix}-work-dead-letters"
  alarm_description   = "Work-queue messages (scan shards, remediation requests) failed every delivery and were dead-lettered. Read them from ${aws_sqs_queue.dlq.name}, fix the cause, redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
