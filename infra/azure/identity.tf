# What the identity may do to the estate comes ONLY from the generated role definitions under policies/
# (`cloudwarden permissions --cloud azure --role scanner|remediator`). The built-in Reader role would also work for
# the scanner but grants every */read in the subscription (secrets' metadata included): the generated role is the
# least-privilege choice and the only one this module assigns. The other two assignments reach this module's own
# state container and the chatops Key Vault only.

locals {
  scanner_role    = jsondecode(file("${path.module}/policies/scanner.json"))
  remediator_role = jsondecode(file("${path.module}/policies/remediator.json"))
}

resource "azurerm_role_definition" "scanner" {
  name        = "${local.scanner_role.Name} (${var.name_prefix})"
  description = local.scanner_role.Description
  scope       = local.subscription_scope

  permissions {
    actions          = local.scanner_role.Actions
    not_actions      = local.scanner_role.NotActions
    data_actions     = local.scanner_role.DataActions
    not_data_actions = local.scanner_role.NotDataActions
  }

  assignable_scopes = [for s in local.scanner_role.AssignableScopes : replace(s, "{subscriptionId}", var.subscription_id)]
}

resource "azurerm_role_definition" "remediator" {
  name        = "${local.remediator_role.Name} (${var.name_prefix})"
  description = local.remediator_role.Description
  scope       = local.subscription_scope

  permissions {
    actions          = local.remediator_role.Actions
    not_actions      = local.remediator_role.NotActions
    data_actions     = local.remediator_role.DataActions
    not_data_actions = local.remediator_role.NotDataActions
  }

  assignable_scopes = [for s in local.remediator_role.AssignableScopes : replace(s, "{subscriptionId}", var.subscription_id)]
}

resource "azurerm_role_assignment" "scanner" {
  scope              = local.subscription_scope
  role_definition_id = azurerm_role_definition.scanner.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.cw.principal_id
  principal_type     = "ServicePrincipal"
}

resource "azurerm_role_assignment" "remediator" {
  scope              = local.subscription_scope
  role_definition_id = azurerm_role_definition.remediator.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.cw.principal_id
  principal_type     = "ServicePrincipal"
}

# Runtime: the state store reads and writes blobs of its own container only.
resource "azurerm_role_assignment" "state_blobs" {
  scope                = azurerm_storage_container.state.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.cw.principal_id
  principal_type       = "ServicePrincipal"
}

# Runtime: Key Vault references resolve the chatops secrets (read secret values, nothing else).
resource "azurerm_role_assignment" "chatops_secrets" {
  count = var.chatops_key_vault_id == "" ? 0 : 1

  scope                = var.chatops_key_vault_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.cw.principal_id
  principal_type       = "ServicePrincipal"
}
