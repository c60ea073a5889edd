package io.cloudwarden.app.azure;

import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigure;
import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigureOptions;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Chooses the exporters of the OpenTelemetry SDK Quarkus builds, by {@link TelemetryDestination}.
 *
 * <p><b>Decision</b> (docs/TELEMETRY.md, "Azure Functions: Application Insights"): both destinations are the SDK's
 * own exporters, selected by name through its autoconfiguration, and Quarkus' Vert.x OTLP exporter is off at build
 * time ({@code quarkus.otel.exporter.otlp.enabled=false}). Quarkus' exporter cannot sit beside a second one: its
 * span processor exports to {@code localhost:4317} whenever the SDK is on and no {@code SpanExporter} bean exists,
 * and its metric-reader customizer re-binds every periodic reader to its own CDI {@code MetricExporter}, so Azure
 * Monitor's metric exporter would never see a metric. This bean is the extension's own customization point (the
 * one the Quarkiverse Azure exporter uses); the Azure SDK's {@link AzureMonitorAutoConfigure} registers its
 * exporters on the builder.
 *
 * <ul>
 * <li>Application Insights: traces and metrics to the connection string's {@code IngestionEndpoint}; OpenTelemetry
 * logs stay off (the Functions host already sends the app's stdout lines to Application Insights); Live Metrics is
 * off unless {@code APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED=true} (it polls every few seconds, also while idle).</li>
 * <li>OTLP: the SDK's exporter over HTTP/protobuf on the JDK's client, as the CLI (no gRPC sender is in the app):
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}) such as
 * {@code http://collector:4318}.</li>
 * </ul>
 */
@Singleton
public class TelemetryExport implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {
    private static final Logger LOG = Logger.getLogger(TelemetryExport.class);

    private final TelemetryDestination destination;
    private final String connectionString;

    public TelemetryExport() {
        Config config = ConfigProvider.getConfig();
        java.util.function.Function<String, String> lookup =
                name -> config.getOptionalValue(name, String.class).orElse(null);
        TelemetryDestination chosen;
        String cs = null;
        try {
            chosen = TelemetryDestination.of(lookup);
            if (chosen == TelemetryDestination.APPLICATION_INSIGHTS) {
                cs = TelemetryDestination.connectionString(lookup).orElseThrow();
            }
        } catch (TelemetryDestination.InvalidTelemetryConfigException e) {
            // telemetry never stops the scanner: the error names the setting (not its value) and nothing is exported
            LOG.errorf("Cloudwarden's metrics and spans are not exported: %s", e.getMessage());
            chosen = TelemetryDestination.NONE;
        }
        this.destination = chosen;
        this.connectionString = cs;
    }

    public TelemetryDestination destination() {
        return destination;
    }

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        switch (destination) {
            case APPLICATION_INSIGHTS -> {
                AzureMonitorAutoConfigure.customize(builder,
                        new AzureMonitorAutoConfigureOptions().connectionString(connectionString));
                // after Azure Monitor's own properties: those added later win (the environment wins over both)
                builder.addPropertiesSupplier(() -> Map.of("otel.logs.exporter", "none",
                        "applicationinsights.live.metrics.enabled", "false"));
                LOG.info("Cloudwarden's metrics and spans go to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)");
            }
            case OTLP -> {
                builder.addPropertiesSupplier(() -> Map.of("otel.traces.exporter", "otlp",
                        "otel.metrics.exporter", "otlp", "otel.logs.exporter", "none",
                        "otel.exporter.otlp.protocol", "http/protobuf"));
                LOG.info("Cloudwarden's metrics and spans go to the OTLP endpoint (HTTP/protobuf)");
            }
            case NONE -> builder.addPropertiesSupplier(() -> Map.of("otel.traces.exporter", "none",
                    "otel.metrics.exporter", "none", "otel.logs.exporter", "none"));
        }
    }
}
