locals {
  labels = merge(var.labels, { "managed-by" = "terraform", "app" = "cloudwarden" })

  # Paths the Cloud Run app (functions/gcp GcpRoutes) serves; tests/integration infra/PackagingTest fails when a
  # path used here is not one of them.
  routes = {
    events   = "/events/gcp"
    schedule = "/schedule"
    pubsub   = "/pubsub"
    slack    = "/chatops/slack"
    teams    = "/chatops/teams"
  }

  chatops = length(var.chatops_secrets) > 0

  # One image, three services, so that each identity holds only what its routes need:
  #   events    - Eventarc audit-log events and the Cloud Scheduler scan (scanner; private)
  #   remediate - Pub/Sub push of scan shards and remediation requests (scanner + remediator; private)
  #   chatops   - Slack / Teams (scanner; public: the app verifies each request's signature)
  services = merge({
    events    = { sa = "scanner", public = false }
    remediate = { sa = "remediator", public = false }
  }, local.chatops ? { chatops = { sa = "scanner", public = true } } : {})

  # Deterministic Cloud Run URLs, so a service can be told its own audience before it exists.
  service_urls = { for k, s in local.services : k => "https://${var.name_prefix}-${k}-${data.google_project.this.number}.${var.region}.run.app" }
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "apis" {
  for_each = toset([
    "cloudasset.googleapis.com",
    "cloudscheduler.googleapis.com",
    # managed instance groups and their autoscalers (compute.group), instances re-read on events
    "compute.googleapis.com",
    "eventarc.googleapis.com",
    # Cloud Monitoring: the instances' CPU (compute.instance / compute.group utilization)
    "monitoring.googleapis.com",
    # VM Manager: the instances' patch state (inventories, vulnerability reports) and patch jobs
    "osconfig.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
  ])

  service            = each.value
  disable_on_destroy = false
}

# State: versioned, uniform access, never public.
resource "google_storage_bucket" "state" {
  name                        = "${var.name_prefix}-state-${data.google_project.this.number}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 90
    }
    action {
      type = "Delete"
    }
  }
}

# Work queue: remediation requests published by detection, pushed to the remediate service.
resource "google_pubsub_topic" "work" {
  name   = "${var.name_prefix}-work"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  name   = "${var.name_prefix}-work-dead-letter"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# Keeps dead letters for inspection and replay (a topic without a subscription drops them).
resource "google_pubsub_subscription" "dead_letter_hold" {
  name                       = "${var.name_prefix}-work-dead-letter-hold"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "1209600s"
  labels                     = local.labels
}

resource "google_pubsub_subscription" "work_push" {
  name                 = "${var.name_prefix}-work-push"
  topic                = google_pubsub_topic.work.id
  ack_deadline_seconds = 600
  labels               = local.labels

  push_config {
    push_endpoint = "${local.service_urls["remediate"]}${local.routes.pubsub}"

    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = local.service_urls["remediate"]
    }
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}

resource "google_cloud_run_v2_service" "app" {
  for_each = local.services

  name                = "${var.name_prefix}-${each.key}"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = false
  labels              = local.labels

  template {
    service_account                  = each.value.sa == "remediator" ? google_service_account.remediator.email : google_service_account.scanner.email
    timeout                          = "600s"
    max_instance_request_concurrency = 8

    scaling {
      # Instances kept warm (billed while idle) so that an event meets no cold start; 0 by default (var.min_instances).
      min_instance_count = lookup(var.min_instances, each.key, 0)
      max_instance_count = 10
    }

    containers {
      name  = "app"
      image = var.image
      # the one container that receives requests (a service with a sidecar must name it)
      ports {
        container_port = 8080
      }
      # with var.cloud_telemetry the collector sidecar starts first: the app starts once its health check answers
      depends_on = var.cloud_telemetry ? ["otel-collector"] : null

      resources {
        limits = {
          cpu    = "1"
          memory = "1Gi"
        }
        # More CPU while the JVM starts (class loading, JIT): Cloud Run bills the boost only during start-up.
        startup_cpu_boost = true
        # With var.cloud_telemetry, CPU stays allocated between requests (instance-based billing while an instance
        # lives): the app flushes its metrics and spans to the collector before each response (TelemetryFlush), but
        # the collector batches and writes them to Cloud Monitoring and Cloud Trace after that response, which a
        # throttled CPU would hold until the next request. Without it, CPU is allocated only during requests.
        cpu_idle = !var.cloud_telemetry
      }

      env {
        name  = "CLOUDWARDEN_STATE_DIR"
        value = "gs://${google_storage_bucket.state.name}/state"
      }
      dynamic "env" {
        for_each = local.audit_env[each.value.sa]
        content {
          name  = env.key
          value = env.value
        }
      }
      env {
        name  = "CLOUDWARDEN_CLOUDS"
        value = "gcp"
      }
      env {
        name  = "CLOUDWARDEN_GCP_ACCOUNTS"
        value = var.project_id
      }
      env {
        name  = "CLOUDWARDEN_GCP_TOPIC"
        value = google_pubsub_topic.work.id
      }
      env {
        # the scheduled scan only plans; the remediate service collects one shard per message and merges the run
        name  = "CLOUDWARDEN_FANOUT"
        value = tostring(var.fan_out)
      }
      env {
        name  = "CLOUDWARDEN_FANOUT_DEADLINE"
        value = var.fan_out_deadline
      }
      env {
        name  = "CLOUDWARDEN_APPLY"
        value = tostring(var.apply_remediation)
      }
      env {
        # /schedule and /pubsub accept only Google-signed OIDC tokens for this service, minted for the invoker
        name  = "CLOUDWARDEN_GCP_OIDC_AUDIENCE"
        value = local.service_urls[each.key]
      }
      env {
        name  = "CLOUDWARDEN_GCP_OIDC_EMAIL"
        value = google_service_account.invoker.email
      }
      dynamic "env" {
        # Private services admit only holders of roles/run.invoker (Cloud Run IAM checks each request's token): the
        # app trusts them for /scan and /events/gcp. The public chatops service does not, so /scan there answers 403.
        for_each = local.services[each.key].public ? {} : { CLOUDWARDEN_HTTP_AUTH = "platform" }
        content {
          name  = env.key
          value = env.value
        }
      }

      env {
        # the project the app's log lines name their trace in (logging.googleapis.com/trace) and its metrics and
        # spans are written to; Cloud Run does not set it
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      dynamic "env" {
        # Cloudwarden's own metrics (Cloud Monitoring) and spans (Cloud Trace): the app's OpenTelemetry SDK sends them
        # over OTLP/HTTP to the collector sidecar on localhost:4318 (its default cloudwarden.gcp.telemetry-endpoint);
        # off, the SDK builds no exporter (docs/TELEMETRY.md)
        for_each = var.cloud_telemetry ? { QUARKUS_OTEL_SDK_DISABLED = "false" } : {}
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = each.key == "chatops" ? var.chatops_secrets : {}
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        http_get {
          path = "/q/health"
        }
        period_seconds    = 5
        failure_threshold = 24
      }
    }

    # The Google-Built OpenTelemetry Collector (docs/TELEMETRY.md, "Cloud Run"): receives the app's OTLP on
    # localhost:4318 and writes Cloud Monitoring (workload.googleapis.com/cloudwarden.*) and Cloud Trace with the
    # service account above. Its configuration (otel-collector.yaml) is passed inline through the collector's env:
    # config provider: it holds no secret, so no Secret Manager secret (and accessor grant) is needed.
    dynamic "containers" {
      for_each = var.cloud_telemetry ? ["otel-collector"] : []
      content {
        name  = containers.value
        image = var.collector_image
        args  = ["--config=env:OTELCOL_CONFIG"]

        env {
          name  = "OTELCOL_CONFIG"
          value = file("${path.module}/otel-collector.yaml")
        }

        resources {
          limits = {
            cpu    = "1"
            memory = "256Mi"
          }
          cpu_idle = false
        }

        # the collector's health_check extension (otel-collector.yaml)
        startup_probe {
          http_get {
            path = "/"
            port = 13133
          }
          period_seconds    = 2
          failure_threshold = 30
        }
      }
    }
  }

  depends_on = [google_project_service.apis, google_secret_manager_secret_iam_member.chatops, google_project_iam_member.telemetry, google_project_service.telemetry]
}

# Eventarc: one trigger per audit-log method (Eventarc matches methodName exactly).
resource "google_eventarc_trigger" "audit" {
  for_each = local.audit_methods

  name            = substr("${var.name_prefix}-${replace(lower(replace(each.value.method, "/[._]/", "-")), "google-iam-admin-v1-", "iam-")}", 0, 63)
  location        = "global"
  service_account = google_service_account.invoker.email
  labels          = local.labels

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.audit.log.v1.written"
  }
  matching_criteria {
    attribute = "serviceName"
    value     = each.value.service
  }
  matching_criteria {
    attribute = "methodName"
    value     = each.value.method
  }

  destination {
    cloud_run_service {
      service = google_cloud_run_v2_service.app["events"].name
      region  = var.region
      path    = local.routes.events
    }
  }

  depends_on = [google_project_iam_member.invoker_event_receiver]
}

resource "google_cloud_scheduler_job" "scan" {
  name             = "${var.name_prefix}-scan"
  region           = var.region
  schedule         = var.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "600s"

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = "${local.service_urls["events"]}${local.routes.schedule}"

    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = local.service_urls["events"]
    }
  }

  depends_on = [google_project_service.apis]
}
