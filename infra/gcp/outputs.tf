output "service_urls" {
  description = "Cloud Run service URLs by role (events, remediate, chatops when configured)."
  value       = { for k, s in google_cloud_run_v2_service.app : k => s.uri }
}

output "chatops_urls" {
  description = "Request URLs to configure in the Slack and Teams apps (empty without chatops secrets)."
  value       = local.chatops ? { slack = "${google_cloud_run_v2_service.app["chatops"].uri}${local.routes.slack}", teams = "${google_cloud_run_v2_service.app["chatops"].uri}${local.routes.teams}" } : {}
}

output "state_bucket" {
  description = "GCS bucket holding Cloudwarden's state."
  value       = google_storage_bucket.state.name
}

output "work_topic" {
  description = "Pub/Sub topic of remediation requests."
  value       = google_pubsub_topic.work.id
}

output "dead_letter_subscription" {
  description = "Pull subscription holding dead-lettered work items."
  value       = google_pubsub_subscription.dead_letter_hold.id
}

output "service_accounts" {
  description = "Service account emails by role."
  value = {
    scanner    = google_service_account.scanner.email
    remediator = google_service_account.remediator.email
    invoker    = google_service_account.invoker.email
  }
}

output "eventarc_triggers" {
  description = "Number of Eventarc audit-log triggers (one per handled method)."
  value       = length(google_eventarc_trigger.audit)
}
