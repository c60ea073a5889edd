package io.cloudwarden.local;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's OpenTelemetry SDK (docs/TELEMETRY.md), built only where it is used so short commands start as fast as
 * before: by {@code serve} (a Prometheus reader behind {@code GET /q/metrics}) and by any command when OTLP export is
 * configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or the system property {@code otel.exporter.otlp.endpoint}).
 * Every other {@code OTEL_*} setting of the SDK's autoconfiguration applies (headers, protocol, service name,
 * sampler). Without OTLP no exporter is started; the runtime's telemetry stays the API's no-op.
 *
 * <p>Resource detectors found on the class path (the Google Cloud clients bring one that probes the GCE metadata
 * server) are off unless {@code otel.java.enabled.resource.providers} names them: a CLI run must not wait on a
 * network probe.
 */
final class CliTelemetry {
    static final String OTLP_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String OTLP_ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";

    private CliTelemetry() {
    }

    /** True when OTLP export is configured in {@code env} or the system properties. */
    static boolean otlpConfigured(Map<String, String> env) {
        return present(env.get(OTLP_ENDPOINT_ENV)) || present(System.getProperty(OTLP_ENDPOINT_PROPERTY))
                || present(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
                || present(env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }

    /** Installs an OTLP-exporting SDK on {@code cw} when OTLP is configured; else leaves the no-op. */
    static Cloudwarden attachIfConfigured(Cloudwarden cw) {
        if (otlpConfigured(System.getenv())) {
            OpenTelemetrySdk sdk = build(true, Optional.empty());
            cw.telemetry(Telemetry.of(sdk, sdk::close));
        }
        return cw;
    }

    /** {@code serve}'s telemetry: always a Prometheus reader, OTLP as well when configured. */
    static Served forServe() {
        PrometheusMetricReader reader = new PrometheusMetricReader(false, null);
        OpenTelemetrySdk sdk = build(otlpConfigured(System.getenv()), Optional.of(reader));
        return new Served(Telemetry.of(sdk, sdk::close), reader);
    }

    /** The telemetry {@code serve} installs, and its metrics in Prometheus text format. */
    record Served(Telemetry telemetry, PrometheusMetricReader reader) {
        /** The current values, Prometheus text exposition format 0.0.4. */
        byte[] scrape() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                PrometheusTextFormatWriter.create().write(out, reader.collect());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        static String contentType() {
            return PrometheusTextFormatWriter.CONTENT_TYPE;
        }
    }

    private static OpenTelemetrySdk build(boolean otlp, Optional<PrometheusMetricReader> prometheus) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "cloudwarden");
        defaults.put("otel.java.enabled.resource.providers", "none");
        if (!otlp) {
            defaults.put("otel.traces.exporter", "none");
            defaults.put("otel.metrics.exporter", "none");
        }
        // Cloudwarden logs through its own channels (issue 15's JSON logs); the SDK exports no log records.
        defaults.put("otel.logs.exporter", "none");
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addMeterProviderCustomizer((builder, config) -> {
                    prometheus.ifPresent(builder::registerMetricReader);
                    return builder;
                })
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }
}
