# Identities. What they may do to the estate comes ONLY from the generated policies under policies/
# (`cloudwarden permissions --cloud aws --role scanner|remediator`); the runtime statements below reach nothing but
# this module's own log groups, state bucket and queues (tests/integration infra/LeastPrivilegeTest pins both).

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "scanner" {
  name        = "${var.name_prefix}-scanner"
  description = "Cloudwarden scanner: read permissions generated from the collectors"
  policy      = file("${path.module}/policies/scanner.json")
}

resource "aws_iam_policy" "remediator" {
  name        = "${var.name_prefix}-remediator"
  description = "Cloudwarden remediator: exactly the write permissions of the remediators"
  policy      = file("${path.module}/policies/remediator.json")
}

# Scanner: the schedule, events and http functions. Detection never mutates: it only reads and enqueues (the
# schedule function sends the shards of a fanned-out scan: EnqueueWorkAndFailures below).
resource "aws_iam_role" "scanner" {
  name               = "${var.name_prefix}-scanner"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "scanner_scanner" {
  role       = aws_iam_role.scanner.name
  policy_arn = aws_iam_policy.scanner.arn
}

# Remediator: the queue function, which collects scan shards (scanner policy), and for remediation requests re-reads
# (scanner policy), applies (remediator policy) and verifies.
resource "aws_iam_role" "remediator" {
  name               = "${var.name_prefix}-remediator"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "remediator_scanner" {
  role       = aws_iam_role.remediator.name
  policy_arn = aws_iam_policy.scanner.arn
}

resource "aws_iam_role_policy_attachment" "remediator_remediator" {
  role       = aws_iam_role.remediator.name
  policy_arn = aws_iam_policy.remediator.arn
}

locals {
  scanner_functions    = [for k, f in local.functions : k if f.role == "scanner"]
  remediator_functions = [for k, f in local.functions : k if f.role == "remediator"]
}

data "aws_iam_policy_document" "scanner_runtime" {
  statement {
    sid       = "OwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for k in local.scanner_functions : "${aws_cloudwatch_log_group.fn[k].arn}:*"]
  }

  statement {
    sid       = "StateObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]
  }

  statement {
    sid       = "StateList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "EnqueueWorkAndFailures"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.work.arn, aws_sqs_queue.dlq.arn]
  }

  # X-Ray active tracing (lambda.tf tracing_config): the trace segment APIs have no resource types, so "*" is the only
  # resource they take (LeastPrivilegeTest allows "*" for these two actions alone).
  statement {
    sid       = "TraceSegments"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "scanner_runtime" {
  name   = "runtime"
  role   = aws_iam_role.scanner.id
  policy = data.aws_iam_policy_document.scanner_runtime.json
}

# The http function reads its secrets at run time (see local.secret_arns): exactly these ARNs, nothing else.
data "aws_iam_policy_document" "read_secrets" {
  count = length(local.secret_arns) > 0 ? 1 : 0

  statement {
    sid       = "ReadOwnSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = sort(values(local.secret_arns))
  }
}

resource "aws_iam_role_policy" "read_secrets" {
  count = length(local.secret_arns) > 0 ? 1 : 0

  name   = "read-secrets"
  role   = aws_iam_role.scanner.id
  policy = data.aws_iam_policy_document.read_secrets[0].json
}

data "aws_iam_policy_document" "remediator_runtime" {
  statement {
    sid       = "OwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for k in local.remediator_functions : "${aws_cloudwatch_log_group.fn[k].arn}:*"]
  }

  statement {
    sid       = "StateObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]
  }

  statement {
    sid       = "StateList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid    = "ConsumeWork"
    effect = "Allow"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
      "sqs:SendMessage",
    ]
    resources = [aws_sqs_queue.work.arn]
  }

  # X-Ray active tracing (lambda.tf tracing_config): the trace segment APIs have no resource types, so "*" is the only
  # resource they take (LeastPrivilegeTest allows "*" for these two actions alone).
  statement {
    sid       = "TraceSegments"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "remediator_runtime" {
  name   = "runtime"
  role   = aws_iam_role.remediator.id
  policy = data.aws_iam_policy_document.remediator_runtime.json
}

# EventBridge Scheduler invokes the schedule function, and nothing else.
resource "aws_iam_role" "scheduler" {
  name = "${var.name_prefix}-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "scheduler.amazonaws.com" }
    }]
  })
}

data "aws_iam_policy_document" "scheduler_invoke" {
  statement {
    sid       = "InvokeSchedule"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.live["schedule"].arn]
  }
}

resource "aws_iam_role_policy" "scheduler_invoke" {
  name   = "invoke-schedule"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler_invoke.json
}
