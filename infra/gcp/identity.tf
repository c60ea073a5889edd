# What the service accounts may do to the estate comes ONLY from the generated custom roles under policies/
# (`cloudwarden permissions --cloud gcp --role scanner|remediator`). Every other binding below is runtime plumbing
# on this module's own resources (state bucket, topics, services, secrets), pinned by tests/integration
# infra/LeastPrivilegeTest.

locals {
  scanner_role    = jsondecode(file("${path.module}/policies/scanner.json"))
  remediator_role = jsondecode(file("${path.module}/policies/remediator.json"))
  pubsub_agent    = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_project_iam_custom_role" "scanner" {
  role_id     = "${replace(var.name_prefix, "-", "_")}_scanner"
  title       = local.scanner_role.title
  description = local.scanner_role.description
  stage       = local.scanner_role.stage
  permissions = local.scanner_role.includedPermissions
}

resource "google_project_iam_custom_role" "remediator" {
  role_id     = "${replace(var.name_prefix, "-", "_")}_remediator"
  title       = local.remediator_role.title
  description = local.remediator_role.description
  stage       = local.remediator_role.stage
  permissions = local.remediator_role.includedPermissions
}

resource "google_service_account" "scanner" {
  account_id   = "${var.name_prefix}-scanner"
  display_name = "Cloudwarden scanner (events, schedule, chatops)"
}

resource "google_service_account" "remediator" {
  account_id   = "${var.name_prefix}-remediator"
  display_name = "Cloudwarden remediator (work queue)"
}

# Eventarc, Cloud Scheduler and the Pub/Sub push subscription call the private services as this account.
resource "google_service_account" "invoker" {
  account_id   = "${var.name_prefix}-invoker"
  display_name = "Cloudwarden invoker (Eventarc, Scheduler, Pub/Sub push)"
}

resource "google_project_iam_member" "scanner_scanner" {
  project = var.project_id
  role    = google_project_iam_custom_role.scanner.name
  member  = google_service_account.scanner.member
}

resource "google_project_iam_member" "remediator_scanner" {
  project = var.project_id
  role    = google_project_iam_custom_role.scanner.name
  member  = google_service_account.remediator.member
}

resource "google_project_iam_member" "remediator_remediator" {
  project = var.project_id
  role    = google_project_iam_custom_role.remediator.name
  member  = google_service_account.remediator.member
}

# --- runtime plumbing, each on one resource of this module (Eventarc's receiver role is project-only) ---

resource "google_storage_bucket_iam_member" "state" {
  for_each = toset([google_service_account.scanner.member, google_service_account.remediator.member])

  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectUser"
  member = each.value
}

resource "google_pubsub_topic_iam_member" "scanner_publishes_work" {
  topic  = google_pubsub_topic.work.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.scanner.member
}

# The remediate service merges fanned-out scans, and the merge sends the run's remediation requests to the topic.
resource "google_pubsub_topic_iam_member" "remediator_publishes_work" {
  topic  = google_pubsub_topic.work.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.remediator.member
}

resource "google_project_iam_member" "invoker_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.invoker.member
}

# Cloudwarden's own telemetry (monitoring.tf, docs/TELEMETRY.md): the collector sidecar of each service writes its
# metrics to Cloud Monitoring and its spans to Cloud Trace with the service's account. Both roles exist only at project
# level; they write telemetry, read nothing.
resource "google_project_iam_member" "telemetry" {
  for_each = var.cloud_telemetry ? {
    scanner-metrics    = { member = google_service_account.scanner.member, role = "roles/monitoring.metricWriter" }
    scanner-traces     = { member = google_service_account.scanner.member, role = "roles/cloudtrace.agent" }
    remediator-metrics = { member = google_service_account.remediator.member, role = "roles/monitoring.metricWriter" }
    remediator-traces  = { member = google_service_account.remediator.member, role = "roles/cloudtrace.agent" }
  } : {}

  project = var.project_id
  role    = each.value.role
  member  = each.value.member
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = { for k, s in local.services : k => s if !s.public }

  name     = google_cloud_run_v2_service.app[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = google_service_account.invoker.member
}

# Slack and Teams cannot present Google credentials: the chatops service is public and verifies signatures itself.
resource "google_cloud_run_v2_service_iam_member" "chatops_public" {
  count = local.chatops ? 1 : 0

  name     = google_cloud_run_v2_service.app["chatops"].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_secret_manager_secret_iam_member" "chatops" {
  for_each = var.chatops_secrets

  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.scanner.member
}

# Pub/Sub's service agent dead-letters messages and signs push OIDC tokens as the invoker.
resource "google_pubsub_topic_iam_member" "agent_publishes_dead_letters" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "agent_acks_dead_letters" {
  subscription = google_pubsub_subscription.work_push.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

resource "google_service_account_iam_member" "agent_signs_push_tokens" {
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}
