package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The exporters of the OpenTelemetry SDK Quarkus builds in the Cloud Run app: Cloudwarden's metrics and spans over
 * OTLP/HTTP (protobuf) to the OpenTelemetry Collector sidecar infra/gcp runs beside the app ({@value #ENDPOINT},
 * default {@value #DEFAULT_ENDPOINT}), which writes them to Cloud Monitoring ({@code workload.googleapis.com/<name>})
 * and Cloud Trace.
 *
 * <p><b>Decision</b> (docs/TELEMETRY.md, "Cloud Run"): OTLP to a collector, as Google's migration guidance says;
 * Google's in-process exporters ({@code com.google.cloud.opentelemetry:exporter-metrics}/{@code exporter-trace}) are
 * deprecated and archived. The exporters are the SDK's own on the JDK's HTTP client ({@code opentelemetry-exporter-
 * otlp} + {@code opentelemetry-exporter-sender-jdk}, as the Azure app and the CLI), handed to Quarkus' extension as
 * CDI beans; the extension's own Vert.x OTLP exporter is not built ({@code quarkus.otel.exporter.otlp.enabled=false}):
 * it re-binds every metric reader to its own exporter, so the filter below ({@link CloudwardenOnly}) could not sit in
 * front of it. The beans are created only when the SDK is on ({@code quarkus.otel.sdk.disabled=false}, which infra/gcp
 * sets with its collector): off, nothing is built and nothing is sent.
 */
public class TelemetryExport {
    /** The collector's OTLP/HTTP base URL; the exporters post to {@code /v1/traces} and {@code /v1/metrics}. */
    public static final String ENDPOINT = "cloudwarden.gcp.telemetry-endpoint";
    static final String DEFAULT_ENDPOINT = "http://localhost:4318";

    @ConfigProperty(name = ENDPOINT, defaultValue = DEFAULT_ENDPOINT)
    String endpoint;

    /** Spans, batched by the extension's span processor. */
    @Produces
    @Singleton
    SpanExporter otlpSpans() {
        return OtlpHttpSpanExporter.builder().setEndpoint(base() + "/v1/traces").build();
    }

    /** Cloudwarden's own metrics, cumulative (what Cloud Monitoring's cumulative metric kind stores). */
    @Produces
    @Singleton
    MetricExporter otlpMetrics() {
        return new CloudwardenOnly(OtlpHttpMetricExporter.builder().setEndpoint(base() + "/v1/metrics").build());
    }

    private String base() {
        String e = endpoint.trim();
        try {
            URI uri = new URI(e);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null) {
                throw new URISyntaxException(e, "not an http(s) base URL");
            }
        } catch (URISyntaxException x) {
            throw new ConfigException(ENDPOINT, "the collector's OTLP/HTTP base URL, such as " + DEFAULT_ENDPOINT, e);
        }
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    /**
     * Only Cloudwarden's own instruments (scope {@value Telemetry#SCOPE}) are exported: the JVM and HTTP server
     * metrics Quarkus' extension records, and the SDK's own (queue sizes), would be billed as custom metrics while
     * Cloud Run already reports each instance's CPU, memory, requests and latencies.
     */
    static final class CloudwardenOnly implements MetricExporter {
        private final MetricExporter delegate;

        CloudwardenOnly(MetricExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            List<MetricData> own = metrics.stream()
                    .filter(m -> Telemetry.SCOPE.equals(m.getInstrumentationScopeInfo().getName())).toList();
            return own.isEmpty() ? CompletableResultCode.ofSuccess() : delegate.export(own);
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return delegate.getAggregationTemporality(type);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType type) {
            return delegate.getDefaultAggregation(type);
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
