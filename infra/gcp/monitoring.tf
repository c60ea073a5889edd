# Cloudwarden's own telemetry on GCP (docs/TELEMETRY.md): Cloud Run traces every request into Cloud Trace and
# reports request counts and latencies; with var.cloud_telemetry the app exports its span tree to Cloud Trace and its
# metrics to Cloud Monitoring as workload.googleapis.com/<instrument name> (over OTLP to the collector sidecar, whose
# googlecloud exporter names them so; tests/integration infra/CollectorSidecarInfraTest checks its prefix is
# local.workload below).
# A dashboard shows them; alert policies watch unread shards, failed and halted remediations, breaker trips,
# throttling, failing requests and dead-lettered work. tests/integration (infra/TelemetryNamesTest) fails when a
# metric name here is not one the code emits.

resource "google_project_service" "telemetry" {
  for_each = toset(["monitoring.googleapis.com", "cloudtrace.googleapis.com"])

  service            = each.value
  disable_on_destroy = false
}

locals {
  workload = "workload.googleapis.com"

  # name => [title, instrument, group-by label]
  charts = {
    scanned   = ["Resources scanned (by cloud)", "cloudwarden.resources.scanned", "cloud"]
    unread    = ["Shards unread (by cloud)", "cloudwarden.shards.unread", "cloud"]
    findings  = ["Findings reported (by severity)", "cloudwarden.findings", "severity"]
    calls     = ["Cloud API calls (by cloud)", "cloudwarden.api.calls", "cloud"]
    throttles = ["Throttled attempts (by service)", "cloudwarden.api.throttles", "service"]
    plans     = ["Remediation plans (by outcome)", "cloudwarden.remediation.plans", "outcome"]
    trips     = ["Breaker trips", "cloudwarden.remediation.breaker.trips", "path"]
    chatops   = ["Chatops requests (by outcome)", "cloudwarden.chatops.requests", "outcome"]
  }

  # name => [what it means, filter, threshold per window, window]
  alerts = {
    shards-unread      = ["A scan could not read some shards: their resources keep their previous state. See cloudwarden status and the service logs.", "metric.type = \"${local.workload}/cloudwarden.shards.unread\"", 0, "3600s"]
    remediation-failed = ["A remediation failed to apply or to verify. See the audit trail (remediation.apply / remediation.verify).", "metric.type = \"${local.workload}/cloudwarden.remediation.plans\" AND metric.labels.outcome = \"failed\"", 0, "300s"]
    remediation-halted = ["A rollout halted at a failing resource; later waves were not applied. See the audit trail (remediation.rollout).", "metric.type = \"${local.workload}/cloudwarden.remediation.plans\" AND metric.labels.outcome = \"halted\"", 0, "300s"]
    breaker-trips      = ["The blast-radius breaker stopped a run's remediation: nothing was applied.", "metric.type = \"${local.workload}/cloudwarden.remediation.breaker.trips\"", 0, "300s"]
    throttling         = ["Google APIs throttle Cloudwarden's calls: scans slow down and shards may fail.", "metric.type = \"${local.workload}/cloudwarden.api.throttles\"", var.throttle_alert_threshold, "900s"]
    requests-failing   = ["A Cloudwarden service answered 5xx (events, queue push, schedule or chatops). See its request's trace in Cloud Trace and its logs.", "resource.type = \"cloud_run_revision\" AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code_class = \"5xx\" AND resource.labels.service_name = starts_with(\"${var.name_prefix}-\")", 0, "300s"]
  }
}

resource "google_monitoring_dashboard" "cloudwarden" {
  project = var.project_id

  dashboard_json = jsonencode({
    displayName = "${var.name_prefix} Cloudwarden"
    gridLayout = {
      columns = 3
      widgets = concat([for k, c in local.charts : {
        title = c[0]
        xyChart = {
          dataSets = [{
            plotType = "STACKED_BAR"
            timeSeriesQuery = {
              timeSeriesFilter = {
                filter = "metric.type = \"${local.workload}/${c[1]}\""
                aggregation = {
                  alignmentPeriod    = "300s"
                  perSeriesAligner   = "ALIGN_DELTA"
                  crossSeriesReducer = "REDUCE_SUM"
                  groupByFields      = ["metric.label.${c[2]}"]
                }
              }
            }
          }]
        }
        }], [{
        title = "Requests by response class"
        xyChart = {
          dataSets = [{
            plotType = "LINE"
            timeSeriesQuery = {
              timeSeriesFilter = {
                filter = "resource.type = \"cloud_run_revision\" AND metric.type = \"run.googleapis.com/request_count\""
                aggregation = {
                  alignmentPeriod    = "300s"
                  perSeriesAligner   = "ALIGN_RATE"
                  crossSeriesReducer = "REDUCE_SUM"
                  groupByFields      = ["resource.label.service_name", "metric.label.response_code_class"]
                }
              }
            }
          }]
        }
        }, {
        title = "Dead-lettered work (undelivered messages)"
        xyChart = {
          dataSets = [{
            plotType = "LINE"
            timeSeriesQuery = {
              timeSeriesFilter = {
                filter = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id = \"${google_pubsub_subscription.dead_letter_hold.name}\""
                aggregation = {
                  alignmentPeriod  = "300s"
                  perSeriesAligner = "ALIGN_MAX"
                }
              }
            }
          }]
        }
      }])
    }
  })

  depends_on = [google_project_service.telemetry]
}

resource "google_monitoring_alert_policy" "cloudwarden" {
  for_each = local.alerts

  project               = var.project_id
  display_name          = "${var.name_prefix} ${each.key}"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  documentation {
    content   = each.value[0]
    mime_type = "text/markdown"
  }

  conditions {
    display_name = each.key
    condition_threshold {
      filter          = each.value[1]
      comparison      = "COMPARISON_GT"
      threshold_value = each.value[2]
      duration        = "0s"
      aggregations {
        alignment_period     = each.value[3]
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      trigger {
        count = 1
      }
    }
  }

  depends_on = [google_project_service.telemetry]
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project               = var.project_id
  display_name          = "${var.name_prefix} work-dead-letters"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  documentation {
    content   = "Work messages (scan shards, remediation requests) failed every delivery and were dead-lettered to ${google_pubsub_subscription.dead_letter_hold.name}. Read them, fix the cause, republish."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "dead letters held"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dead_letter_hold.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
      trigger {
        count = 1
      }
    }
  }

  depends_on = [google_project_service.telemetry]
}
