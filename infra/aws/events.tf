locals {
  # The CloudTrail calls the AWS types declare (AwsType.cloudTrailCalls() of AwsProvider.TYPES, i.e.
  # CloudTrailEventParser.handledEventNames()), by event source. tests/integration (infra/EventTriggersTest) fails
  # when this map and the declarations differ.
  cloudtrail_events = {
    "ec2.amazonaws.com" = [
      "AuthorizeSecurityGroupEgress",
      "AuthorizeSecurityGroupIngress",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
      "ModifyInstanceMetadataOptions",
      "ModifySecurityGroupRules",
      "RevokeSecurityGroupEgress",
      "RevokeSecurityGroupIngress",
      "RunInstances",
      "TerminateInstances",
      "UpdateSecurityGroupRuleDescriptionsEgress",
      "UpdateSecurityGroupRuleDescriptionsIngress",
    ]
    "iam.amazonaws.com" = [
      "AddUserToGroup",
      "AttachUserPolicy",
      "CreateAccessKey",
      "CreateLoginProfile",
      "CreateUser",
      "DeactivateMFADevice",
      "DeleteAccessKey",
      "DeleteLoginProfile",
      "DeleteUser",
      "DeleteUserPolicy",
      "DetachUserPolicy",
      "EnableMFADevice",
      "PutUserPolicy",
      "RemoveUserFromGroup",
      "TagUser",
      "UntagUser",
      "UpdateAccessKey",
      "UpdateLoginProfile",
      "UpdateUser",
    ]
    "kms.amazonaws.com" = [
      "CancelKeyDeletion",
      "CreateKey",
      "DisableKey",
      "DisableKeyRotation",
      "EnableKey",
      "EnableKeyRotation",
      "ScheduleKeyDeletion",
      "TagResource",
      "UntagResource",
    ]
    "s3.amazonaws.com" = [
      "CreateBucket",
      "DeleteBucket",
      "DeleteBucketEncryption",
      "DeleteBucketLogging",
      "DeleteBucketPolicy",
      "DeleteBucketPublicAccessBlock",
      "DeleteBucketTagging",
      "PutBucketAcl",
      "PutBucketEncryption",
      "PutBucketLogging",
      "PutBucketPolicy",
      "PutBucketPublicAccessBlock",
      "PutBucketTagging",
      "PutBucketVersioning",
    ]
    "ssm.amazonaws.com" = [
      "SendCommand",
    ]
  }

  # AWS Config resource types whose configuration item changes the parser turns into resource events
  # (IAM access keys are not a Config resource type: CloudTrail covers them).
  config_resource_types = [
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::IAM::User",
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
  ]
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
  arn       = aws_lambda_function.fn["events"].arn

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
  principal     = "events.amazonaws.com"
  source_arn    = each.value.arn
}
