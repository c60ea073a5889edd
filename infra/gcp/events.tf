locals {
  # Cloud Audit Log methods the GCP event parser (AuditLogEventParser) turns into resource events, one Eventarc
  # trigger each. tests/integration (infra/GcpEventTriggersTest) feeds every one through the parser.
  audit_method_list = {
    "storage.googleapis.com" = [
      "storage.buckets.create",
      "storage.buckets.delete",
      "storage.buckets.update",
      "storage.setIamPermissions",
    ]
    "compute.googleapis.com" = [
      "v1.compute.firewalls.delete",
      "v1.compute.firewalls.insert",
      "v1.compute.firewalls.patch",
      "v1.compute.firewalls.update",
      "v1.compute.instances.delete",
      "v1.compute.instances.insert",
      "v1.compute.instances.setMetadata",
      "v1.compute.instances.setServiceAccount",
      "v1.compute.instances.updateShieldedInstanceConfig",
    ]
    "iam.googleapis.com" = [
      "google.iam.admin.v1.CreateServiceAccount",
      "google.iam.admin.v1.CreateServiceAccountKey",
      "google.iam.admin.v1.DeleteServiceAccount",
      "google.iam.admin.v1.DeleteServiceAccountKey",
      "google.iam.admin.v1.DisableServiceAccount",
      "google.iam.admin.v1.DisableServiceAccountKey",
      "google.iam.admin.v1.EnableServiceAccount",
      "google.iam.admin.v1.EnableServiceAccountKey",
      "google.iam.admin.v1.PatchServiceAccount",
    ]
    "cloudkms.googleapis.com" = [
      "CreateCryptoKey",
      "CreateCryptoKeyVersion",
      "DestroyCryptoKeyVersion",
      "UpdateCryptoKey",
      "UpdateCryptoKeyPrimaryVersion",
    ]
  }

  audit_methods = merge([for service, methods in local.audit_method_list : {
    for m in methods : "${service}/${m}" => { service = service, method = m }
  }]...)
}
