variable "region" {
  description = "AWS region to deploy into. IAM events reach EventBridge only in us-east-1, so deploy there (or forward IAM events from us-east-1) to react to IAM changes."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, roles, queues, the state bucket)."
  type        = string
  default     = "cloudwarden"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-24 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "function_zip" {
  description = "Path of the Lambda artifact built by `./mvnw -B package -pl functions/aws -am` (one zip for every function)."
  type        = string
  default     = "../../functions/aws/target/function.zip"

  validation {
    condition     = endswith(var.function_zip, ".zip")
    error_message = "function_zip must be the path of the .zip built in functions/aws/target."
  }
}

variable "lambda_runtime" {
  description = "Runtime of the functions: java17/java21 for the JVM zip, provided.al2023 for the native build (functions/aws README)."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java17", "java21", "provided.al2023"], var.lambda_runtime)
    error_message = "lambda_runtime must be java17, java21 or provided.al2023."
  }
}

variable "memory_mb" {
  description = "Memory of each function in MB (CPU scales with it)."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_mb >= 512 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 512 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Timeout of each function in seconds; the work queue's visibility timeout is six times this."
  type        = number
  default     = 300

  validation {
    condition     = var.timeout_seconds >= 30 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 30 and 900."
  }
}

variable "schedule_expression" {
  description = "EventBridge Scheduler expression of the full scan, e.g. rate(6 hours) or cron(0 */6 * * ? *)."
  type        = string
  default     = "rate(6 hours)"

  validation {
    condition     = can(regex("^(rate\\([0-9]+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$", var.schedule_expression))
    error_message = "schedule_expression must be rate(N unit) or cron(...)."
  }
}

variable "apply_remediation" {
  description = "true lets remediation change resources (CLOUDWARDEN_APPLY); false keeps every plan a dry run."
  type        = bool
  default     = false
}

variable "chatops_secret_arns" {
  description = "Secrets Manager secret ARNs for chatops, by setting: CLOUDWARDEN_SLACK_SIGNING_SECRET and/or CLOUDWARDEN_TEAMS_SECRET. Only the ARNs are passed to the http function (as <NAME>_ARN), which reads the values at run time (the role may read these ARNs only): the secrets never enter Terraform state. Empty disables the chat routes (they answer 503)."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k, v in var.chatops_secret_arns :
      contains(["CLOUDWARDEN_SLACK_SIGNING_SECRET", "CLOUDWARDEN_TEAMS_SECRET"], k)
      && can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", v))
    ])
    error_message = "chatops_secret_arns keys must be CLOUDWARDEN_SLACK_SIGNING_SECRET or CLOUDWARDEN_TEAMS_SECRET, values Secrets Manager secret ARNs."
  }
}

variable "http_token_secret_arn" {
  description = "Secrets Manager secret ARN of the bearer token for POST /scan and /events/aws on the function URL (callers send Authorization: Bearer <token>). Read by the http function at run time; never in Terraform state. Empty: those routes answer 403 (the URL is public for chat platforms, so they never run unauthenticated)."
  type        = string
  default     = ""

  validation {
    condition     = var.http_token_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.http_token_secret_arn))
    error_message = "http_token_secret_arn must be empty or a Secrets Manager secret ARN."
  }
}

variable "organization_member_account_ids" {
  description = "Organization variant: the member accounts to scan. Each needs the role of modules/member-role (assumable by the scanner role); empty scans only this account."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.organization_member_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "organization_member_account_ids must be 12-digit AWS account ids."
  }
}

variable "member_role_name" {
  description = "Name of the role modules/member-role creates in each member account."
  type        = string
  default     = "cloudwarden-member-scanner"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.member_role_name))
    error_message = "member_role_name must be a valid IAM role name (1-64 characters of A-Za-z0-9+=,.@_-)."
  }
}

variable "member_external_id" {
  description = "Organization variant: external id the scanner presents when assuming member roles (pass the same value to modules/member-role); empty for none."
  type        = string
  default     = ""

  validation {
    condition     = var.member_external_id == "" || can(regex("^[A-Za-z0-9+=,.@:/-]{2,1224}$", var.member_external_id))
    error_message = "member_external_id must be 2-1224 characters of A-Za-z0-9+=,.@:/-."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' CloudWatch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be at most 128 characters and not start with aws:, values at most 256 characters."
  }
}

variable "fan_out" {
  description = "Fan the scheduled scan out over the work queue (one message per account x region x type shard, merged once) instead of scanning everything in the schedule function."
  type        = bool
  default     = true
}

variable "fan_out_deadline" {
  description = "ISO-8601 duration after planning at which a fanned-out run is merged with the shards that are in; the missing ones become scan errors."
  type        = string
  default     = "PT30M"

  validation {
    condition     = can(regex("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$", var.fan_out_deadline)) && var.fan_out_deadline != "PT"
    error_message = "fan_out_deadline must be an ISO-8601 duration in hours, minutes and seconds, such as PT30M or PT1H."
  }
}

variable "audit_retention_days" {
  description = "Days each audit digest stays write-once (S3 Object Lock, COMPLIANCE mode): not even the account root can delete it sooner."
  type        = number
  default     = 400

  validation {
    condition     = var.audit_retention_days >= 1
    error_message = "audit_retention_days must be at least 1."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing of the Lambda functions: Active (sample and record every invocation's segment) or PassThrough."
  type        = string
  default     = "Active"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "span_export" {
  description = "Export Cloudwarden's own span tree of every invocation (scan, collect per shard, evaluate, plan, apply) into the invocation's X-Ray trace through the ADOT collector Lambda layer (tracing.tf). The collector extension adds to each cold start and uses some of the function's memory."
  type        = bool
  default     = true
}

variable "adot_collector_layer_arn" {
  description = "ADOT collector Lambda layer (x86_64) used when span_export is on. Empty: the AWS-published arn:aws:lambda:<region>:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1 of var.region (tracing.tf lists its regions)."
  type        = string
  default     = ""

  validation {
    condition     = var.adot_collector_layer_arn == "" || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.adot_collector_layer_arn))
    error_message = "adot_collector_layer_arn must be a Lambda layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>) or empty."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when a Cloudwarden alarm fires or clears (e.g. an SNS topic); empty: the alarms only show in the console and on the dashboard."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : startswith(a, "arn:")])
    error_message = "alarm_actions must be ARNs (arn:...), such as an SNS topic ARN."
  }
}

variable "throttle_alarm_threshold" {
  description = "Throttled cloud API attempts per 15 minutes above which the throttling alarm fires (the SDKs retry throttles; a steady stream slows scans and ends in failed shards)."
  type        = number
  default     = 50

  validation {
    condition     = var.throttle_alarm_threshold >= 0
    error_message = "throttle_alarm_threshold must be 0 or more."
  }
}
