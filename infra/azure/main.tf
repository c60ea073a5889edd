locals {
  subscription_scope = "/subscriptions/${var.subscription_id}"
  tags               = merge(var.tags, { "managed-by" = "terraform", "app" = "cloudwarden" })

  # Generated from the Azure type declarations (AzureType of AzureProvider.TYPES): the ARM event types the Event Grid
  # parser acts on (*Failure and *Cancel are ignored by the parser, so they are not delivered at all) and the subject
  # fragments of the ARM resource types the types declare (events on their child resources included). Regenerate with
  # `cloudwarden triggers --cloud azure --out infra/azure/triggers.json`; tests/integration
  # (infra/GeneratedTriggersTest, infra/EventTriggersTest) fails when the file and the declarations differ.
  triggers                  = jsondecode(file("${path.module}/triggers.json"))
  handled_event_types       = local.triggers.handled_event_types
  handled_subject_fragments = local.triggers.handled_subject_fragments

  # Function names are the folders of functions/azure/src/main/azure-functions (tests/integration infra/PackagingTest).
  eventgrid_function = "eventgrid"
  work_queue         = "cloudwarden-work"
}

resource "azurerm_resource_group" "cw" {
  name     = "${var.name_prefix}-rg"
  location = var.location
  tags     = local.tags
}

# State (blob container) and the work queue with its poison queue; also the Functions host's storage.
resource "azurerm_storage_account" "cw" {
  name                            = "${var.name_prefix}${substr(sha1(var.subscription_id), 0, 8)}"
  resource_group_name             = azurerm_resource_group.cw.name
  location                        = azurerm_resource_group.cw.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  tags                            = local.tags

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 30
    }
  }
}

resource "azurerm_storage_container" "state" {
  name                  = "cloudwarden-state"
  storage_account_id    = azurerm_storage_account.cw.id
  container_access_type = "private"
}

resource "azurerm_storage_queue" "work" {
  name                 = local.work_queue
  storage_account_name = azurerm_storage_account.cw.name
}

# The Functions host moves a message that failed maxDequeueCount times (host.json) to <queue>-poison.
resource "azurerm_storage_queue" "poison" {
  name                 = "${local.work_queue}-poison"
  storage_account_name = azurerm_storage_account.cw.name
}

resource "azurerm_user_assigned_identity" "cw" {
  name                = "${var.name_prefix}-identity"
  resource_group_name = azurerm_resource_group.cw.name
  location            = azurerm_resource_group.cw.location
  tags                = local.tags
}

resource "azurerm_service_plan" "cw" {
  name                = "${var.name_prefix}-plan"
  resource_group_name = azurerm_resource_group.cw.name
  location            = azurerm_resource_group.cw.location
  os_type             = "Linux"
  sku_name            = var.plan_sku
  tags                = local.tags
}

data "archive_file" "app" {
  type        = "zip"
  source_dir  = var.function_folder
  output_path = "${path.module}/.build/azure-functions.zip"
}

resource "azurerm_linux_function_app" "cw" {
  name                            = "${var.name_prefix}-${substr(sha1(var.subscription_id), 0, 8)}"
  resource_group_name             = azurerm_resource_group.cw.name
  location                        = azurerm_resource_group.cw.location
  service_plan_id                 = azurerm_service_plan.cw.id
  storage_account_name            = azurerm_storage_account.cw.name
  storage_account_access_key      = azurerm_storage_account.cw.primary_access_key
  https_only                      = true
  zip_deploy_file                 = data.archive_file.app.output_path
  key_vault_reference_identity_id = azurerm_user_assigned_identity.cw.id
  tags                            = local.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cw.id]
  }

  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
    # timers on a dedicated plan fire only while the app is loaded
    always_on = !contains(["Y1", "EP1", "EP2", "EP3"], var.plan_sku)
    # Elastic Premium: instances kept started (billed) and pre-warmed before scale-out, so an event does not wait
    # for a JVM start (var.warm_instances; the dedicated plans keep the app loaded with always_on instead)
    elastic_instance_minimum  = startswith(var.plan_sku, "EP") ? var.warm_instances : null
    pre_warmed_instance_count = startswith(var.plan_sku, "EP") ? var.warm_instances : null

    application_stack {
      use_custom_runtime = true
    }

    # Application Insights (monitoring.tf): the provider writes this (a sensitive value) as the app setting
    # APPLICATIONINSIGHTS_CONNECTION_STRING. The Functions host records every invocation (duration, result, the
    # invocation id) and the app's log lines with it; the app exports Cloudwarden's own metrics (customMetrics) and
    # spans (requests, dependencies) with it (docs/TELEMETRY.md); workbook and alerts read them.
    application_insights_connection_string = azurerm_application_insights.cw.connection_string
  }

  app_settings = merge({
    # host.json starts `java -jar cloudwarden-azure-runner.jar`; the timer and queue bindings read these two
    CLOUDWARDEN_SCHEDULE       = var.schedule
    CLOUDWARDEN_AZURE_QUEUE    = azurerm_storage_queue.work.name
    CLOUDWARDEN_STATE_DIR      = "azblob://${azurerm_storage_account.cw.name}/${azurerm_storage_container.state.name}/state"
    CLOUDWARDEN_AUDIT_KEY      = azurerm_key_vault_key.audit.id
    CLOUDWARDEN_AUDIT_DIGESTS  = "azblob://${azurerm_storage_account.cw.name}/${azurerm_storage_container.audit_digests.name}/digests"
    CLOUDWARDEN_APPLY          = tostring(var.apply_remediation)
    CLOUDWARDEN_CLOUDS         = "azure"
    CLOUDWARDEN_AZURE_ACCOUNTS = var.subscription_id
    # The timer only plans; the queue function collects one shard per message and merges the run.
    CLOUDWARDEN_FANOUT          = tostring(var.fan_out)
    CLOUDWARDEN_FANOUT_DEADLINE = var.fan_out_deadline
    # The httpTrigger has authLevel "function": the host admits only callers with a function key (x-functions-key
    # header or ?code=), so the app trusts what reaches /scan and /events/azure.
    CLOUDWARDEN_HTTP_AUTH = "platform"
    # DefaultAzureCredential picks the user-assigned identity by its client id
    AZURE_CLIENT_ID          = azurerm_user_assigned_identity.cw.client_id
    WEBSITE_RUN_FROM_PACKAGE = "1"
    }, { for k, uri in var.chatops_secret_uris : k => "@Microsoft.KeyVault(SecretUri=${uri})" },
    # Cloudwarden's own metrics and spans go to Application Insights; an OTLP endpoint (a collector) replaces it
    var.otlp_endpoint == "" ? {} : {
      QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT = var.otlp_endpoint
  })
}

# ARM events of the whole subscription.
resource "azurerm_eventgrid_system_topic" "subscription" {
  name                = "${var.name_prefix}-arm-events"
  resource_group_name = azurerm_resource_group.cw.name
  location            = "global"
  source_resource_id  = local.subscription_scope
  topic_type          = "Microsoft.Resources.Subscriptions"
  tags                = local.tags
}

resource "azurerm_eventgrid_system_topic_event_subscription" "functions" {
  name                = "${var.name_prefix}-to-functions"
  system_topic        = azurerm_eventgrid_system_topic.subscription.name
  resource_group_name = azurerm_resource_group.cw.name

  included_event_types = local.handled_event_types

  azure_function_endpoint {
    function_id                       = "${azurerm_linux_function_app.cw.id}/functions/${local.eventgrid_function}"
    max_events_per_batch              = 10
    preferred_batch_size_in_kilobytes = 64
  }

  advanced_filter {
    string_contains {
      key    = "subject"
      values = local.handled_subject_fragments
    }
  }

  retry_policy {
    max_delivery_attempts = 10
    event_time_to_live    = 1440
  }
}
