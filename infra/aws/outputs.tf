output "function_names" {
  description = "Lambda function names by handler."
  value       = { for k, f in aws_lambda_function.fn : k => f.function_name }
}

output "chatops_url" {
  description = "Function URL for chatops: configure https://<url>/chatops/slack and /chatops/teams in the chat apps."
  value       = aws_lambda_function_url.http.function_url
}

output "state_bucket" {
  description = "S3 bucket holding Cloudwarden's state (snapshots, findings, plans, audit trail)."
  value       = aws_s3_bucket.state.bucket
}

output "work_queue_url" {
  description = "SQS work queue URL."
  value       = aws_sqs_queue.work.url
}

output "dead_letter_queue_url" {
  description = "SQS dead-letter queue URL: work items and async invocations that kept failing."
  value       = aws_sqs_queue.dlq.url
}

output "scanner_role_arn" {
  description = "Scanner role ARN (pass to modules/member-role in each member account)."
  value       = aws_iam_role.scanner.arn
}

output "remediator_role_arn" {
  description = "Remediator role ARN (the event parser ignores its own calls: loop guard)."
  value       = aws_iam_role.remediator.arn
}

output "member_role_arns" {
  description = "Organization variant: the member roles the scanner assumes."
  value       = local.member_role_arns
}

output "account_id" {
  description = "The account the module was deployed in."
  value       = data.aws_caller_identity.current.account_id
}
