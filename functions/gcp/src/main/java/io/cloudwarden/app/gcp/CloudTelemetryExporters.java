package io.cloudwarden.app.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.monitoring.v3.MetricServiceSettings;
import com.google.cloud.opentelemetry.metric.GoogleCloudMetricExporter;
import com.google.cloud.opentelemetry.metric.MetricConfiguration;
import com.google.cloud.opentelemetry.trace.TraceConfiguration;
import com.google.cloud.opentelemetry.trace.TraceExporter;
import com.google.cloud.trace.v2.stub.GrpcTraceServiceStub;
import com.google.cloud.trace.v2.stub.TraceServiceStubSettings;
import io.cloudwarden.functions.ConfigException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.contrib.gcp.resource.GCPResourceProvider;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the Cloud Run app's OpenTelemetry SDK sends Cloudwarden's metrics and spans: Google's exporters, straight to
 * Cloud Monitoring ({@code workload.googleapis.com/<instrument>}, cumulative) and Cloud Trace (docs/TELEMETRY.md,
 * "Cloud Run"). Quarkus' OpenTelemetry extension picks these beans up (its {@code cdi} exporters) only when its SDK
 * is on ({@code quarkus.otel.sdk.disabled=false}, which infra/gcp sets): off, no bean here is ever created and nothing
 * is exported. The OTLP exporter of the extension is not built into this app ({@code quarkus.otel.exporter.otlp.enabled
 * =false}).
 *
 * <p>Project: {@value RequestLogFilter#PROJECT} (default {@code $GOOGLE_CLOUD_PROJECT}), else the exporters ask the
 * metadata server. Endpoint: {@value #ENDPOINT} ({@code host:port}) replaces both APIs' endpoints; a loopback host
 * ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}) is spoken to in plaintext without credentials (a local fake),
 * any other over TLS with the application default credentials.
 */
public class CloudTelemetryExporters {
    public static final String ENDPOINT = "cloudwarden.gcp.telemetry-endpoint";
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]+):(\\d{1,5})");
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "[::1]");

    @ConfigProperty(name = RequestLogFilter.PROJECT, defaultValue = " ")
    String project;

    @ConfigProperty(name = ENDPOINT)
    Optional<String> endpoint;

    /** Spans to Cloud Trace (v2 {@code BatchWriteSpans}); the extension batches them. */
    @Produces
    @Singleton
    SpanExporter cloudTrace() {
        TraceConfiguration.Builder config = TraceConfiguration.builder();
        projectId().ifPresent(config::setProjectId);
        endpoint().ifPresent(e -> {
            if (e.loopback()) {
                try {
                    config.setTraceServiceStub(GrpcTraceServiceStub.create(TraceServiceStubSettings.newBuilder()
                            .setCredentialsProvider(NoCredentialsProvider.create())
                            .setTransportChannelProvider(plaintext(e.target())).build()));
                } catch (IOException x) {
                    throw new UncheckedIOException("Cloud Trace client for " + ENDPOINT + "=" + e.target(), x);
                }
            } else {
                config.setTraceServiceEndpoint(e.target());
            }
        });
        return TraceExporter.createWithConfiguration(config.build());
    }

    /** Metrics to Cloud Monitoring ({@code CreateTimeSeries}), named {@code workload.googleapis.com/<instrument>}. */
    @Produces
    @Singleton
    MetricExporter cloudMonitoring() {
        MetricConfiguration.Builder config = MetricConfiguration.builder();
        projectId().ifPresent(config::setProjectId);
        endpoint().ifPresent(e -> {
            if (e.loopback()) {
                config.setMetricServiceSettings(plaintextMetricService(e.target()));
            } else {
                config.setMetricServiceEndpoint(e.target());
            }
        });
        return new CloudwardenOnly(GoogleCloudMetricExporter.createWithConfiguration(config.build()));
    }

    /**
     * Only Cloudwarden's own instruments (scope {@value Telemetry#SCOPE}) reach Cloud Monitoring: the JVM and HTTP
     * server metrics Quarkus' extension records, and the SDK's own (queue sizes), would be billed as custom metrics
     * while Cloud Run already reports each instance's CPU, memory, requests and latencies.
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

    /**
     * On Cloud Run ({@code K_SERVICE} set), the resource Google's detector reads (platform, service, revision,
     * region, instance id): the metric exporter maps it to the monitored resource {@code generic_task} with the
     * instance as {@code task_id}, so the cumulative series of two instances never collide. Elsewhere, empty.
     */
    @Produces
    @Singleton
    Resource cloudRun() {
        if (System.getenv("K_SERVICE") == null) {
            return Resource.empty();
        }
        return Resource.create(new GCPResourceProvider().getAttributes());
    }

    private Optional<String> projectId() {
        return Optional.ofNullable(project).map(String::trim).filter(p -> !p.isEmpty());
    }

    private Optional<Endpoint> endpoint() {
        return endpoint.map(String::trim).filter(e -> !e.isEmpty()).map(e -> {
            Matcher m = HOST_PORT.matcher(e);
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
                throw new ConfigException(ENDPOINT, "host:port, such as monitoring.googleapis.com:443 or "
                        + "127.0.0.1:4444", e);
            }
            return new Endpoint(e, LOOPBACK.contains(m.group(1).toLowerCase(java.util.Locale.ROOT)));
        });
    }

    private static FixedTransportChannelProvider plaintext(String target) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    }

    private static MetricServiceSettings plaintextMetricService(String target) {
        try {
            return MetricServiceSettings.newBuilder().setCredentialsProvider(NoCredentialsProvider.create())
                    .setTransportChannelProvider(plaintext(target)).build();
        } catch (IOException x) {
            throw new UncheckedIOException("Cloud Monitoring client for " + ENDPOINT + "=" + target, x);
        }
    }

    private record Endpoint(String target, boolean loopback) {
    }
}
