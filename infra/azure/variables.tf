variable "subscription_id" {
  description = "Subscription to deploy into and to watch (the Event Grid system topic and the custom roles are scoped to it)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID."
  }
}

variable "location" {
  description = "Azure region of the resource group and the Function App, e.g. westeurope."
  type        = string
  default     = "westeurope"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name such as westeurope (lower case, no spaces)."
  }
}

variable "name_prefix" {
  description = "Prefix of resource names. Lower-case letters and digits only (it is part of the storage account name)."
  type        = string
  default     = "cloudwarden"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,11}$", var.name_prefix))
    error_message = "name_prefix must be 3-12 lower-case letters or digits, starting with a letter."
  }
}

variable "function_folder" {
  description = "The custom-handler function app folder built by `./mvnw -B package -pl functions/azure -am` (host.json, one folder per function, the runner jar)."
  type        = string
  default     = "../../functions/azure/target/azure-functions"

  validation {
    condition     = length(trimspace(var.function_folder)) > 0
    error_message = "function_folder must be the path of functions/azure/target/azure-functions."
  }
}

variable "schedule" {
  description = "NCRONTAB (six fields, seconds first) of the full scan, the CLOUDWARDEN_SCHEDULE app setting the timer function reads."
  type        = string
  default     = "0 0 */6 * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 6
    error_message = "schedule must be a six-field NCRONTAB expression such as \"0 0 */6 * * *\"."
  }
}

variable "plan_sku" {
  description = "App Service plan SKU: EP1-EP3 (elastic premium), B1/S1/P1v3 (dedicated) or Y1 (Linux consumption, which runs packages from a URL only: not with this module's zip deploy)."
  type        = string
  default     = "EP1"

  validation {
    condition     = contains(["EP1", "EP2", "EP3", "B1", "S1", "P1v3"], var.plan_sku)
    error_message = "plan_sku must be one of EP1, EP2, EP3, B1, S1, P1v3 (Linux consumption cannot run a zip-deployed package)."
  }
}

variable "apply_remediation" {
  description = "true lets remediation change resources (CLOUDWARDEN_APPLY); false keeps every plan a dry run."
  type        = bool
  default     = false
}

variable "chatops_key_vault_id" {
  description = "Resource id of the Key Vault (RBAC authorization) holding the chatops secrets; empty disables the chat routes."
  type        = string
  default     = ""

  validation {
    condition     = var.chatops_key_vault_id == "" || can(regex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[^/]+$", var.chatops_key_vault_id))
    error_message = "chatops_key_vault_id must be empty or a Key Vault resource id."
  }
}

variable "chatops_secret_uris" {
  description = "Versionless Key Vault secret URIs by app setting: CLOUDWARDEN_SLACK_SIGNING_SECRET and/or CLOUDWARDEN_TEAMS_SECRET. Wired as Key Vault references, so the values never enter Terraform state."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k, v in var.chatops_secret_uris :
      contains(["CLOUDWARDEN_SLACK_SIGNING_SECRET", "CLOUDWARDEN_TEAMS_SECRET"], k)
      && can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/[A-Za-z0-9-]+/?$", v))
    ])
    error_message = "chatops_secret_uris keys must be CLOUDWARDEN_SLACK_SIGNING_SECRET or CLOUDWARDEN_TEAMS_SECRET, values versionless secret URIs (https://<vault>.vault.azure.net/secrets/<name>)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 512 && length(v) <= 256 && !can(regex("[<>%&\\\\?/]", k))])
    error_message = "tags keys must be at most 512 characters without < > % & \\ ? /, values at most 256 characters."
  }
}

variable "assign_graph_remediation_permissions" {
  description = "Also grant the Microsoft Graph application permissions listed in policies/remediator.json (Application.ReadWrite.All: removing Entra application credentials). Tenant-wide write on every app registration, so off by default."
  type        = bool
  default     = false
}

variable "assign_graph_permissions" {
  description = "Grant the managed identity the Microsoft Graph application permissions listed in policies/scanner.json (needs an Entra admin deployer)."
  type        = bool
  default     = true
}

variable "fan_out" {
  description = "Fan the scheduled scan out over the Storage Queue (one message per subscription x region x type shard, merged once) instead of scanning everything in the timer function."
  type        = bool
  default     = true
}

variable "fan_out_deadline" {
  description = "ISO-8601 duration after planning at which a fanned-out run is merged with the shards that are in; the missing ones become scan errors."
  type        = string
  default     = "PT30M"

  validation {
    condition     = can(regex("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$", var.fan_out_deadline)) && var.fan_out_deadline != "PT"
    error_message = "fan_out_deadline must be an ISO-8601 duration in hours, minutes and seconds, such as PT30M or PT1H."
  }
}

variable "audit_retention_days" {
  description = "Days each audit digest stays immutable (locked time-based retention on the digest container)."
  type        = number
  default     = 400

  validation {
    condition     = var.audit_retention_days >= 1
    error_message = "audit_retention_days must be at least 1."
  }
}

variable "warm_instances" {
  description = "Elastic Premium plans: always-ready and pre-warmed instances (each billed while idle); at least 1."
  type        = number
  default     = 1

  validation {
    condition     = var.warm_instances >= 1 && var.warm_instances <= 20
    error_message = "warm_instances must be between 1 and 20."
  }
}

variable "alert_action_group_ids" {
  description = "Action groups notified when a Cloudwarden alert fires (monitoring.tf); empty: alerts only show in the portal."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alert_action_group_ids : can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/microsoft.insights/actionGroups/[^/]+$", a))])
    error_message = "alert_action_group_ids must be action group resource ids (/subscriptions/.../providers/microsoft.insights/actionGroups/NAME)."
  }
}

variable "throttle_alert_threshold" {
  description = "Throttled cloud API attempts per 15 minutes above which the throttling alert fires."
  type        = number
  default     = 50

  validation {
    condition     = var.throttle_alert_threshold >= 0
    error_message = "throttle_alert_threshold must be 0 or more."
  }
}

variable "otlp_endpoint" {
  description = "OTLP/HTTP endpoint (an OpenTelemetry Collector, e.g. http://collector:4318) the app sends Cloudwarden's metrics and spans to instead of Application Insights; empty: they go to the Application Insights resource of this module (docs/TELEMETRY.md)."
  type        = string
  default     = ""

  validation {
    condition     = var.otlp_endpoint == "" || can(regex("^https?://[^ ]+$", var.otlp_endpoint))
    error_message = "otlp_endpoint must be empty or an http(s) URL such as http://collector:4318 (OTLP over HTTP/protobuf)."
  }
}
