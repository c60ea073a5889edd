locals {
  # Generated from the AWS type declarations (AwsType of AwsProvider.TYPES): the CloudTrail calls that change a
  # tracked type, by event source, and the AWS Config resource types the parser maps (IAM access keys are not a Config
  # resource type: CloudTrail covers them). Regenerate with
  # `cloudwarden triggers --cloud aws --out infra/aws/triggers.json`; tests/integration (infra/GeneratedTriggersTest,
  # infra/EventTriggersTest) fails when the file and the declarations differ.
  triggers              = jsondecode(file("${path.module}/triggers.json"))
  cloudtrail_events     = local.triggers.cloudtrail_events
  config_resource_types = local.triggers.config_resource_types
}

# One rule per service: an event pattern lists sources and names independently, so a single rule over all of
# them would also match e.g. an S3 call named like an IAM one.
resource "aws_cloudwatch_event_rule" "cloudtrail" {
  for_each = local.cloudtrail_events

  name        = "${var.name_prefix}-${split(".", each.key)[0]}-api-calls"
  description = "CloudTrail ${each.key} calls that change resources Cloudwarden tracks"
  event_pattern = jsonencode({
    source        = ["aws.${split(".", each.key)[0]}"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = [each.key]
      eventName   = each.value
    }
  })
}

resource "aws_cloudwatch_event_rule" "config" {
  name        = "${var.name_prefix}-config-item-changes"
  description = "AWS Config configuration item changes of resource types Cloudwarden tracks"
  event_pattern = jsonencode({
    source        = ["aws.config"]
    "detail-type" = ["Config Configuration Item Change"]
    detail = {
      configurationItem = {
        resourceType = local.config_resource_types
      }
    }
  })
}

locals {
  event_rules = merge(
    { for k, r in aws_cloudwatch_event_rule.cloudtrail : "cloudtrail-${split(".", k)[0]}" => r },
    { config = aws_cloudwatch_event_rule.config },
  )
}

resource "aws_cloudwatch_event_target" "events" {
  for_each = local.event_rules

  rule      = each.value.name
  target_id = "cloudwarden-events"
  arn       = aws_lambda_alias.live["events"].arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 8
  }
}

resource "aws_lambda_permission" "events" {
  for_each = local.event_rules

  statement_id  = "eventbridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["events"].function_name
  qualifier     = aws_lambda_alias.live["events"].name
  principal     = "events.amazonaws.com"
  source_arn    = each.value.arn
}
