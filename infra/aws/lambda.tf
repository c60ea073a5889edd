locals {
  # One artifact, one Lambda function per handler bean of functions/aws (@Named), chosen with QUARKUS_LAMBDA_HANDLER.
  # tests/integration (infra/PackagingTest) fails when a name here is not a handler of the app.
  functions = {
    schedule = { role = "scanner", description = "Scheduled scan: plans the run and queues one message per shard" }
    events   = { role = "scanner", description = "CloudTrail / Config events: re-collect and evaluate the named resources" }
    queue    = { role = "remediator", description = "Work queue: scan shards (collect, merge) and remediation requests" }
    http     = { role = "scanner", description = "Function URL: chatops (Slack, Teams), /scan, /events/aws" }
  }

  role_arns = {
    scanner    = aws_iam_role.scanner.arn
    remediator = aws_iam_role.remediator.arn
  }

  common_env = merge({
    CLOUDWARDEN_STATE_DIR                = "s3://${aws_s3_bucket.state.bucket}/state"
    CLOUDWARDEN_AWS_QUEUE_URL            = aws_sqs_queue.work.url
    CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN = aws_iam_role.remediator.arn
    CLOUDWARDEN_APPLY                    = tostring(var.apply_remediation)
    CLOUDWARDEN_CLOUDS                   = "aws"
    # The schedule function only plans; the queue function collects one shard per message and merges the run.
    CLOUDWARDEN_FANOUT          = tostring(var.fan_out)
    CLOUDWARDEN_FANOUT_DEADLINE = var.fan_out_deadline
    # The CloudWatch namespace of the embedded-metric-format lines (monitoring.tf's dashboard and alarms read it).
    CLOUDWARDEN_METRICS_NAMESPACE = local.metrics_namespace
    }, local.organization ? {
    CLOUDWARDEN_AWS_ACCOUNTS = join(",", var.organization_member_account_ids)
  } : {})

  # Organization fan-out, for the functions that read the estate: the scanners and the queue function, which
  # collects the scan shards of member accounts (functions/aws binds these conventional names to
  # cloudwarden.aws.assumeRole / .externalId).
  organization_env = local.organization ? merge(
    { CLOUDWARDEN_AWS_ASSUME_ROLE = var.member_role_name },
    var.member_external_id == "" ? {} : { CLOUDWARDEN_AWS_EXTERNAL_ID = var.member_external_id },
  ) : {}

  # Secrets reach the http function as ARNs only (CLOUDWARDEN_<NAME>_ARN): it reads them from Secrets Manager at
  # run time, so their values are never in Terraform state or plans, nor in the Lambda environment.
  secret_arns = merge(var.chatops_secret_arns,
  var.http_token_secret_arn == "" ? {} : { CLOUDWARDEN_HTTP_TOKEN = var.http_token_secret_arn })
  secret_env = { for k, arn in local.secret_arns : "${k}_ARN" => arn }
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

# Deployed through S3 (the state bucket, under artifacts/, which only the deployer writes) whatever its size:
# direct uploads stop at 50 MB, and the JVM zip is close to that (docs/PERFORMANCE.md, "Function packages").
resource "aws_s3_object" "function_zip" {
  bucket      = aws_s3_bucket.state.id
  key         = "artifacts/function-${filesha256(var.function_zip)}.zip"
  source      = var.function_zip
  source_hash = filemd5(var.function_zip)
}

resource "aws_lambda_function" "fn" {
  for_each = local.functions

  function_name    = "${var.name_prefix}-${each.key}"
  description      = each.value.description
  role             = local.role_arns[each.value.role]
  s3_bucket        = aws_s3_object.function_zip.bucket
  s3_key           = aws_s3_object.function_zip.key
  source_code_hash = filebase64sha256(var.function_zip)
  handler          = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  runtime          = var.lambda_runtime
  architectures    = ["x86_64"]
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds

  # SnapStart (JVM runtimes only; a native build starts fast without it): Lambda initializes a published version
  # once, runs the app's beforeCheckpoint hooks (functions/aws SnapStartPriming: builds the SDK clients, compiles the
  # CEL rule pack, loads the schemas) and resumes every cold start from that snapshot. It applies to published
  # versions only, so every trigger below invokes the alias "live", which follows the latest published version.
  publish = true

  dynamic "snap_start" {
    for_each = startswith(var.lambda_runtime, "java") ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  # X-Ray active tracing: Lambda records each invocation's segment (start, init, duration, errors); with
  # span_export the ADOT collector layer adds Cloudwarden's own span tree to that trace (tracing.tf).
  tracing_config {
    mode = var.tracing_mode
  }

  layers = local.span_export_layers

  environment {
    variables = merge(
      local.common_env,
      local.span_export_env,
      { QUARKUS_LAMBDA_HANDLER = each.key, JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1" },
      local.organization_env,
      local.audit_env[each.value.role],
      each.key == "http" ? local.secret_env : {},
    )
  }

  lifecycle {
    precondition {
      condition     = !var.span_export || var.adot_collector_layer_arn != "" || contains(local.adot_collector_regions, var.region)
      error_message = "span_export: AWS publishes the ADOT collector layer in ${join(", ", local.adot_collector_regions)}; in ${var.region} set adot_collector_layer_arn (a copy of the layer published there) or span_export = false."
    }
  }

  depends_on = [aws_cloudwatch_log_group.fn]
}

# What every trigger invokes: the latest published version (the SnapStart snapshot), never $LATEST.
resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "Latest published version (SnapStart applies to published versions only)"
  function_name    = aws_lambda_function.fn[each.key].function_name
  function_version = aws_lambda_function.fn[each.key].version
}

# Chat platforms call the function URL directly; the app verifies every request's signature before parsing it.
# Chat platforms cannot sign requests with SigV4, so the URL cannot use AWS_IAM: /scan and /events/aws on it run only
# with the bearer token of var.http_token_secret_arn (without it they answer 403). Scans on the schedule and events
# from EventBridge do not go through the URL.
resource "aws_lambda_function_url" "http" {
  function_name      = aws_lambda_function.fn["http"].function_name
  qualifier          = aws_lambda_alias.live["http"].name
  authorization_type = "NONE"
}

# A public URL needs the function's resource policy to allow it (the API adds nothing by itself); URLs created
# since October 2025 need lambda:InvokeFunction as well as lambda:InvokeFunctionUrl. Provider 5.x cannot scope the
# second to URL calls (lambda:InvokedViaFunctionUrl), so it admits direct invocations too: the handler answers
# anything that is not a function-URL request with a 400, and chat routes verify signatures either way.
resource "aws_lambda_permission" "http_url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.fn["http"].function_name
  qualifier              = aws_lambda_alias.live["http"].name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "http_invoke" {
  statement_id  = "FunctionURLInvokeAllowPublicAccess"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["http"].function_name
  qualifier     = aws_lambda_alias.live["http"].name
  principal     = "*"
}

# Asynchronous invocations (EventBridge, Scheduler) that still fail after Lambda's retries land on the DLQ.
resource "aws_lambda_function_event_invoke_config" "async" {
  for_each = toset(["schedule", "events"])

  function_name                = aws_lambda_function.fn[each.key].function_name
  qualifier                    = aws_lambda_alias.live[each.key].name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}
