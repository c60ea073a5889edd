# Cloudwarden's own spans on Lambda (docs/TELEMETRY.md, "Lambda: spans into X-Ray"): each function sends the span
# tree of an invocation (scan -> collect -> evaluate -> plan -> apply) by OTLP/HTTP to the ADOT collector layer on
# localhost:4318, whose awsxray exporter puts it into the invocation's X-Ray trace (the function makes X-Ray's trace
# header its parent). Off (span_export = false): no layer, no OTEL_* variable, and the app builds no tracer SDK.
locals {
  # The AWS-published ADOT collector layer for x86_64 (ADOT Collector for Lambda v0.43.0, collector v0.117.0;
  # https://github.com/aws-observability/aws-otel-lambda, 2025-05-30 release), published in these regions.
  adot_collector_layer_version = "aws-otel-collector-amd64-ver-0-117-0:1"
  adot_collector_regions = [
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
    "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  ]
  adot_collector_layer_arn = var.adot_collector_layer_arn != "" ? var.adot_collector_layer_arn : (
    "arn:aws:lambda:${var.region}:901920570463:layer:${local.adot_collector_layer_version}"
  )

  span_export_layers = var.span_export ? [local.adot_collector_layer_arn] : []
  span_export_env = var.span_export ? {
    # where the function's OTLP exporter sends (functions/aws InvocationTracing; the collector's receiver)
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318"
    # the collector's configuration, as one line of JSON (YAML's subset) read by the layer's env: config provider
    OPENTELEMETRY_COLLECTOR_CONFIG_URI = "env:ADOT_COLLECTOR_CONFIG"
    ADOT_COLLECTOR_CONFIG              = jsonencode(yamldecode(file("${path.module}/otel-collector.yaml")))
  } : {}
}
