output "function_app_name" {
  description = "Name of the Function App."
  value       = azurerm_linux_function_app.cw.name
}

output "chatops_base_url" {
  description = "Base URL of the HTTP function: configure <url>/chatops/slack and <url>/chatops/teams in the chat apps."
  value       = "https://${azurerm_linux_function_app.cw.default_hostname}/api"
}

output "storage_account" {
  description = "Storage account holding state (container cloudwarden-state) and the work queues."
  value       = azurerm_storage_account.cw.name
}

output "state_location" {
  description = "CLOUDWARDEN_STATE_DIR of the app: point `cloudwarden --state-dir` here to read the same state."
  value       = "azblob://${azurerm_storage_account.cw.name}/${azurerm_storage_container.state.name}/state"
}

output "work_queue" {
  description = "Work queue name (poison messages go to <name>-poison)."
  value       = azurerm_storage_queue.work.name
}

output "identity_principal_id" {
  description = "Principal id of the app's user-assigned identity."
  value       = azurerm_user_assigned_identity.cw.principal_id
}

output "scanner_role_definition_id" {
  description = "Resource id of the generated scanner custom role."
  value       = azurerm_role_definition.scanner.role_definition_resource_id
}

output "remediator_role_definition_id" {
  description = "Resource id of the generated remediator custom role."
  value       = azurerm_role_definition.remediator.role_definition_resource_id
}
