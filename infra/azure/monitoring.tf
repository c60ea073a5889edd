# Cloudwarden's own telemetry on Azure (docs/TELEMETRY.md): Application Insights (workspace-based) receives the
# Functions host's invocations and log lines and, exported by the app itself (TelemetryExport: the Azure Monitor
# OpenTelemetry exporter, from APPLICATIONINSIGHTS_CONNECTION_STRING, which main.tf passes), Cloudwarden's metrics as
# customMetrics (name = the instrument of CloudwardenMetrics, customDimensions = its attributes: cloud, type, service,
# outcome, ...) and each invocation's spans as requests (the handler's POST /timer, /queue, ...) and dependencies
# (cloudwarden.scan, cloudwarden.collect, cloudwarden.evaluate, cloudwarden.plan, cloudwarden.apply) of one operation.
# A workbook is the dashboard; scheduled-query alerts watch unread shards, failed and halted remediations, throttling
# and failed invocations. tests/integration (infra/TelemetryNamesTest) fails when a metric or span name here is not
# one the code emits.

resource "azurerm_log_analytics_workspace" "cw" {
  name                = "${var.name_prefix}-logs"
  resource_group_name = azurerm_resource_group.cw.name
  location            = azurerm_resource_group.cw.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}

resource "azurerm_application_insights" "cw" {
  name                = "${var.name_prefix}-insights"
  resource_group_name = azurerm_resource_group.cw.name
  location            = azurerm_resource_group.cw.location
  workspace_id        = azurerm_log_analytics_workspace.cw.id
  application_type    = "java"
  tags                = local.tags
}

locals {
  # KQL over customMetrics: the sum of one instrument per 5 minutes, split by one attribute (customDimensions).
  metric_chart = {
    for k, v in {
      scanned   = ["Resources scanned (by cloud)", "cloudwarden.resources.scanned", "cloud"]
      unread    = ["Shards unread (by cloud)", "cloudwarden.shards.unread", "cloud"]
      findings  = ["Findings reported (by severity)", "cloudwarden.findings", "severity"]
      calls     = ["Cloud API calls (by cloud)", "cloudwarden.api.calls", "cloud"]
      throttles = ["Throttled attempts (by service)", "cloudwarden.api.throttles", "service"]
      plans     = ["Remediation plans (by outcome)", "cloudwarden.remediation.plans", "outcome"]
      trips     = ["Breaker trips", "cloudwarden.remediation.breaker.trips", "path"]
      chatops   = ["Chatops requests (by outcome)", "cloudwarden.chatops.requests", "outcome"]
      } : k => {
      title = v[0]
      query = "customMetrics | where name == '${v[1]}' | summarize value = sum(valueSum) by bin(timestamp, 5m), tostring(customDimensions['${v[2]}']) | render timechart"
    }
  }

  # Histograms arrive as one customMetrics row per export and attribute set: valueSum seconds over valueCount events.
  histogram_chart = {
    latency = {
      title = "Event to finding, mean seconds (by cloud)"
      query = "customMetrics | where name == 'cloudwarden.event.latency' | summarize value = sum(valueSum) / sum(valueCount) by bin(timestamp, 5m), tostring(customDimensions['cloud']) | render timechart"
    }
    steps = {
      title = "Scan steps, mean seconds (spans as dependencies)"
      query = "dependencies | where name in ('cloudwarden.scan', 'cloudwarden.collect', 'cloudwarden.evaluate', 'cloudwarden.plan', 'cloudwarden.apply') | summarize value = avg(duration) / 1000 by bin(timestamp, 5m), name | render timechart"
    }
  }

  # Alerts: name => [what it means, KQL whose "total" above the threshold fires it, threshold]
  alerts = {
    shards-unread       = ["A scan could not read some shards: their resources keep their previous state. See cloudwarden status and the function logs.", "customMetrics | where name == 'cloudwarden.shards.unread' | summarize total = sum(valueSum)", 0]
    remediation-failed  = ["A remediation failed to apply or to verify. See the audit trail (remediation.apply / remediation.verify).", "customMetrics | where name == 'cloudwarden.remediation.plans' and tostring(customDimensions['outcome']) == 'failed' | summarize total = sum(valueSum)", 0]
    remediation-halted  = ["A rollout halted at a failing resource; later waves were not applied. See the audit trail (remediation.rollout).", "customMetrics | where name == 'cloudwarden.remediation.plans' and tostring(customDimensions['outcome']) == 'halted' | summarize total = sum(valueSum)", 0]
    breaker-trips       = ["The blast-radius breaker stopped a run's remediation: nothing was applied.", "customMetrics | where name == 'cloudwarden.remediation.breaker.trips' | summarize total = sum(valueSum)", 0]
    throttling          = ["Azure APIs throttle Cloudwarden's calls: scans slow down and shards may fail.", "customMetrics | where name == 'cloudwarden.api.throttles' | summarize total = sum(valueSum)", var.throttle_alert_threshold]
    invocations-failing = ["Function invocations failed (timer, Event Grid, queue or HTTP). See the invocation's traces in Application Insights.", "requests | where success == false | summarize total = count()", 0]
  }
}

resource "azurerm_application_insights_workbook" "cw" {
  # a workbook is named by a GUID: derived from the deployment, so re-applying keeps the same workbook
  name                = uuidv5("url", "https://workbooks.invalid/cloudwarden/${var.subscription_id}/${var.name_prefix}/workbook")
  resource_group_name = azurerm_resource_group.cw.name
  location            = azurerm_resource_group.cw.location
  display_name        = "${var.name_prefix} Cloudwarden"
  source_id           = lower(azurerm_application_insights.cw.id)
  tags                = local.tags

  data_json = jsonencode({
    version = "Notebook/1.0"
    items = [for k, c in merge(local.metric_chart, local.histogram_chart) : {
      type = 3
      name = k
      content = {
        version       = "KqlItem/1.0"
        title         = c.title
        query         = c.query
        size          = 1
        queryType     = 0
        resourceType  = "microsoft.insights/components"
        visualization = "timechart"
      }
    }]
  })
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "cw" {
  for_each = local.alerts

  name                 = "${var.name_prefix}-${each.key}"
  resource_group_name  = azurerm_resource_group.cw.name
  location             = azurerm_resource_group.cw.location
  description          = each.value[0]
  scopes               = [azurerm_application_insights.cw.id]
  severity             = each.key == "throttling" ? 3 : 2
  evaluation_frequency = "PT5M"
  window_duration      = each.key == "throttling" ? "PT15M" : "PT5M"
  tags                 = local.tags

  criteria {
    query                   = each.value[1]
    time_aggregation_method = "Total"
    metric_measure_column   = "total"
    operator                = "GreaterThan"
    threshold               = each.value[2]
  }

  auto_mitigation_enabled = true

  dynamic "action" {
    for_each = length(var.alert_action_group_ids) > 0 ? [1] : []
    content {
      action_groups = var.alert_action_group_ids
    }
  }
}
