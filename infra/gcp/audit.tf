# The audit trail's signing key and write-once digest store (docs/AUDIT.md).
#
# Only the remediator's service account (the audit writer) can sign: the generated audit-writer custom role
# (policies/audit-writer.json: cloudkms.cryptoKeyVersions.useToSign, nothing else) is bound on the one audit key,
# never at project level, and the scanner's roles hold no KMS permission. The scanner services append to the trail
# but leave digests to the writer (CLOUDWARDEN_AUDIT_SEAL=false). Digests go to a bucket whose retention policy is
# LOCKED: an object can be created, never replaced or deleted before its retention ends, and the lock is permanent.

locals {
  audit_writer_role = jsondecode(file("${path.module}/policies/audit-writer.json"))
  audit_env = {
    remediator = {
      CLOUDWARDEN_AUDIT_KEY     = "${google_kms_crypto_key.audit.id}/cryptoKeyVersions/1"
      CLOUDWARDEN_AUDIT_DIGESTS = "gs://${google_storage_bucket.audit_digests.name}/digests"
    }
    scanner = {
      CLOUDWARDEN_AUDIT_SEAL = "false"
    }
  }
}

resource "google_project_iam_custom_role" "audit_writer" {
  project     = var.project_id
  role_id     = "${replace(var.name_prefix, "-", "_")}_audit_writer"
  title       = local.audit_writer_role.title
  description = local.audit_writer_role.description
  permissions = local.audit_writer_role.includedPermissions
}

resource "google_kms_key_ring" "audit" {
  project  = var.project_id
  name     = "${var.name_prefix}-audit"
  location = var.region
}

resource "google_kms_crypto_key" "audit" {
  name     = "audit-signing"
  key_ring = google_kms_key_ring.audit.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm        = "EC_SIGN_P256_SHA256"
    protection_level = "HSM"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key_iam_member" "audit_writer" {
  crypto_key_id = google_kms_crypto_key.audit.id
  role          = google_project_iam_custom_role.audit_writer.name
  member        = google_service_account.remediator.member
}

resource "google_storage_bucket" "audit_digests" {
  name                        = "${var.name_prefix}-audit-${data.google_project.this.number}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = local.labels

  retention_policy {
    retention_period = var.audit_retention_days * 86400
    is_locked        = true
  }
}

resource "google_storage_bucket_iam_member" "audit_digests" {
  bucket = google_storage_bucket.audit_digests.name
  role   = "roles/storage.objectUser"
  member = google_service_account.remediator.member
}
