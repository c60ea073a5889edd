# The audit trail's signing key and write-once digest store (docs/AUDIT.md).
#
# One user-assigned identity runs every function here, so the separation is by role: the generated "audit writer"
# custom role (policies/audit-writer.json: keys/sign/action, nothing else) is assigned on the one audit key only;
# the scanner and remediator roles hold no sign action. Digests go to a container with a LOCKED time-based
# immutability policy: a digest can be created, never overwritten or deleted before its retention ends.

locals {
  audit_writer_role = jsondecode(file("${path.module}/policies/audit-writer.json"))
}

data "azurerm_client_config" "audit" {}

resource "azurerm_key_vault" "audit" {
  name                       = "${substr(replace(var.name_prefix, "-", ""), 0, 14)}audit${substr(md5(var.subscription_id), 0, 4)}"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.cw.name
  tenant_id                  = data.azurerm_client_config.audit.tenant_id
  sku_name                   = "premium"
  enable_rbac_authorization  = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
}

resource "azurerm_key_vault_key" "audit" {
  name         = "audit-signing"
  key_vault_id = azurerm_key_vault.audit.id
  key_type     = "EC-HSM"
  curve        = "P-256"
  key_opts     = ["sign", "verify"]
}

resource "azurerm_role_definition" "audit_writer" {
  name        = "${var.name_prefix}-audit-writer"
  scope       = azurerm_key_vault.audit.id
  description = local.audit_writer_role.Description

  permissions {
    actions          = local.audit_writer_role.Actions
    not_actions      = local.audit_writer_role.NotActions
    data_actions     = local.audit_writer_role.DataActions
    not_data_actions = local.audit_writer_role.NotDataActions
  }

  assignable_scopes = [azurerm_key_vault.audit.id]
}

resource "azurerm_role_assignment" "audit_writer" {
  scope              = "${azurerm_key_vault.audit.id}/keys/${azurerm_key_vault_key.audit.name}"
  role_definition_id = azurerm_role_definition.audit_writer.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.cw.principal_id
}

resource "azurerm_storage_container" "audit_digests" {
  name                  = "audit-digests"
  storage_account_id    = azurerm_storage_account.cw.id
  container_access_type = "private"
}

resource "azurerm_storage_container_immutability_policy" "audit_digests" {
  storage_container_resource_manager_id = azurerm_storage_container.audit_digests.resource_manager_id
  immutability_period_in_days           = var.audit_retention_days
  protected_append_writes_enabled       = false
  locked                                = true
}

resource "azurerm_role_assignment" "audit_digests" {
  scope                = azurerm_storage_container.audit_digests.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.cw.principal_id
}
