# Microsoft Graph application permissions for identity.user / identity.key (Entra users, service principals, app
# credentials): the list comes ONLY from the generated scanner policy (GraphApplicationPermissions in
# policies/scanner.json). They are app-role assignments on the Microsoft Graph service principal, granted to the
# function's managed identity; creating them needs a deployer with Privileged Role Administrator (or Global
# Administrator) in Entra ID. Set assign_graph_permissions = false to skip them: the two identity types then fail
# their shard with Authorization_RequestDenied (recorded as scan errors, never a silent gap).

data "azuread_service_principal" "msgraph" {
  count     = var.assign_graph_permissions || var.assign_graph_remediation_permissions ? 1 : 0
  client_id = "00000003-0000-0000-c000-000000000000"
}

resource "azuread_app_role_assignment" "graph" {
  for_each = var.assign_graph_permissions ? toset(try(local.scanner_role.GraphApplicationPermissions, [])) : toset([])

  app_role_id         = data.azuread_service_principal.msgraph[0].app_role_ids[each.value]
  principal_object_id = azurerm_user_assigned_identity.cw.principal_id
  resource_object_id  = data.azuread_service_principal.msgraph[0].object_id
}

# The remediator's Graph application permissions (GraphApplicationPermissions in the generated
# policies/remediator.json: Application.ReadWrite.All, for identity.key/deactivate on Entra application credentials).
# Opt-in, unlike the scanner's: Application.ReadWrite.All lets the identity add credentials to ANY application of the
# tenant, i.e. act as any of them, so a deployment grants it only when it wants Cloudwarden to remove app credentials.
# Without it those plans fail at apply with Authorization_RequestDenied (audited), nothing else changes.
resource "azuread_app_role_assignment" "graph_remediator" {
  for_each = var.assign_graph_remediation_permissions ? toset(try(local.remediator_role.GraphApplicationPermissions, [])) : toset([])

  app_role_id         = data.azuread_service_principal.msgraph[0].app_role_ids[each.value]
  principal_object_id = azurerm_user_assigned_identity.cw.principal_id
  resource_object_id  = data.azuread_service_principal.msgraph[0].object_id
}
