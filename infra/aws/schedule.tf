resource "aws_scheduler_schedule" "scan" {
  name        = "${var.name_prefix}-scan"
  description = "Cloudwarden full scan"

  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 5
  }

  target {
    arn      = aws_lambda_alias.live["schedule"].arn
    role_arn = aws_iam_role.scheduler.arn

    # The input the schedule handler reads (ScheduleTicks): one scan per (job, scheduled time), so a retried
    # or duplicated delivery of the same slot scans once.
    input = jsonencode({
      job           = "${var.name_prefix}-scan"
      scheduleArn   = "<aws.scheduler.schedule-arn>"
      scheduledTime = "<aws.scheduler.scheduled-time>"
      executionId   = "<aws.scheduler.execution-id>"
      attempt       = "<aws.scheduler.attempt-number>"
    })

    retry_policy {
      maximum_retry_attempts       = 3
      maximum_event_age_in_seconds = 3600
    }
  }
}
