locals {
  # Generated from the GCP type declarations (GcpType.auditLogMethods() of GcpProvider.TYPES): the Cloud Audit Log
  # methods the audit-log parser turns into resource events, by service, one Eventarc trigger each. Regenerate with
  # `cloudwarden triggers --cloud gcp --out infra/gcp/triggers.json`; tests/integration (infra/GeneratedTriggersTest,
  # infra/EventTriggersTest) fails when the file and the declarations differ.
  triggers          = jsondecode(file("${path.module}/triggers.json"))
  audit_method_list = local.triggers.audit_method_list

  audit_methods = merge([for service, methods in local.audit_method_list : {
    for m in methods : "${service}/${m}" => { service = service, method = m }
  }]...)
}
