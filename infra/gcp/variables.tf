variable "project_id" {
  description = "Project to deploy into and to watch."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id (6-30 lower-case letters, digits or hyphens)."
  }
}

variable "region" {
  description = "Region of the Cloud Run services, Eventarc triggers, Cloud Scheduler job and the state bucket."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a GCP region such as europe-west1."
  }
}

variable "name_prefix" {
  description = "Prefix of resource names (services, service accounts, topics, the state bucket)."
  type        = string
  default     = "cloudwarden"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,14}$", var.name_prefix))
    error_message = "name_prefix must be 3-15 lower-case letters, digits or hyphens, starting with a letter (service account ids are limited to 30 characters)."
  }
}

variable "image" {
  description = "Container image of functions/gcp (e.g. built with `gcloud builds submit` or Jib from the Quarkus uber-jar), such as europe-west1-docker.pkg.dev/PROJECT/cloudwarden/app:TAG."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/.+[:@].+$", var.image))
    error_message = "image must be a full image reference with a tag or digest, e.g. europe-west1-docker.pkg.dev/p/r/app:1.0."
  }
}

variable "schedule" {
  description = "Cloud Scheduler cron (five fields, unix-cron) of the full scan."
  type        = string
  default     = "0 */6 * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 5
    error_message = "schedule must be a five-field unix-cron expression such as \"0 */6 * * *\"."
  }
}

variable "apply_remediation" {
  description = "true lets remediation change resources (CLOUDWARDEN_APPLY); false keeps every plan a dry run."
  type        = bool
  default     = false
}

variable "chatops_secrets" {
  description = "Secret Manager secret ids (short names in this project) by environment variable: CLOUDWARDEN_SLACK_SIGNING_SECRET and/or CLOUDWARDEN_TEAMS_SECRET. Mounted from Secret Manager, never in Terraform state; empty deploys no public chatops service."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k, v in var.chatops_secrets :
      contains(["CLOUDWARDEN_SLACK_SIGNING_SECRET", "CLOUDWARDEN_TEAMS_SECRET"], k)
      && can(regex("^[A-Za-z0-9_-]{1,255}$", v))
    ])
    error_message = "chatops_secrets keys must be CLOUDWARDEN_SLACK_SIGNING_SECRET or CLOUDWARDEN_TEAMS_SECRET, values Secret Manager secret ids."
  }
}

variable "max_delivery_attempts" {
  description = "Pub/Sub deliveries of one work item before it moves to the dead-letter topic."
  type        = number
  default     = 5

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100 (Pub/Sub's limits)."
  }
}

variable "labels" {
  description = "Labels added to the resources that take them."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "labels keys must start with a lower-case letter; keys and values are at most 63 lower-case letters, digits, _ or -."
  }
}

variable "fan_out" {
  description = "Fan the scheduled scan out over Pub/Sub (one message per project x region x type shard, merged once) instead of scanning everything in the events service."
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
  description = "Days each audit digest is retained and cannot be replaced or deleted (locked bucket retention policy; the lock is irreversible)."
  type        = number
  default     = 400

  validation {
    condition     = var.audit_retention_days >= 1
    error_message = "audit_retention_days must be at least 1."
  }
}

variable "min_instances" {
  description = "Warm instances per service (keys: the services of local.services, e.g. { events = 1 }): no cold start for them, billed while idle. Unlisted services scale to zero."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for n in values(var.min_instances) : n >= 0 && n <= 10])
    error_message = "min_instances values must be between 0 and 10 (max_instance_count)."
  }
}

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channel ids notified when a Cloudwarden alert policy fires (monitoring.tf); empty: incidents only show in the console."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.alert_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "alert_notification_channels must be notification channel ids (projects/PROJECT/notificationChannels/ID)."
  }
}

variable "throttle_alert_threshold" {
  description = "Throttled cloud API attempts per 15 minutes above which the throttling alert fires."
  type        = number
  default     = 50

  validation {
    condition     = var.throttle_alert_threshold >= 0
    error_message = "throttle_alert_threshold must be 0 or more."
  }
}

variable "collector_image" {
  description = "The Google-Built OpenTelemetry Collector image of the telemetry sidecar (var.cloud_telemetry). Pinned to a release tag (see infra/gcp/README.md): move it forward deliberately, not with :latest."
  type        = string
  default     = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.143.0"

  validation {
    condition     = can(regex("^[a-z0-9.-]+(/[a-z0-9._-]+)+(:[0-9]+\\.[0-9]+\\.[0-9]+|@sha256:[0-9a-f]{64})$", var.collector_image))
    error_message = "collector_image must be an image reference pinned to a release tag (:X.Y.Z) or a digest (@sha256:...), not :latest."
  }
}

variable "cloud_telemetry" {
  description = "Export Cloudwarden's own metrics to Cloud Monitoring (workload.googleapis.com/cloudwarden.*) and its spans to Cloud Trace: the app sends OTLP to a Google-Built OpenTelemetry Collector sidecar in every service (var.collector_image, otel-collector.yaml), and CPU stays allocated between requests so that the collector can write what it received (docs/TELEMETRY.md). false: no sidecar, the app's OpenTelemetry SDK stays off and the dashboard's Cloudwarden charts and alerts stay empty (Cloud Run's own request metrics and traces remain)."
  type        = bool
  default     = true
}
