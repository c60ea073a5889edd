package io.cloudwarden.app.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Without {@code APPLICATIONINSIGHTS_CONNECTION_STRING} and without an OTLP endpoint (the configuration of the other
 * function tests) nothing is exported: the SDK stays off, and the SDK Quarkus builds has no span
 * processor and no metric reader: no exporter exists to send anything anywhere.
 */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
class TelemetryOffTest {
    @Inject
    TelemetryExport export;
    @Inject
    OpenTelemetry otel;

    @Test
    void withNeitherAConnectionStringNorAnOtlpEndpointTheSdkIsOff() {
        assertThat(export.destination()).isEqualTo(TelemetryDestination.NONE);
        assertThat(ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
        // the disabled SDK still hands out spans, but has no span processor and no metric reader: nothing leaves
        assertThat(exporting(otel)).isEmpty();
    }

    /** The exporting parts of an SDK: its batch/simple span processors and periodic metric readers. */
    static java.util.List<String> exporting(OpenTelemetry otel) {
        assertThat(otel).isInstanceOf(OpenTelemetrySdk.class);
        OpenTelemetrySdk sdk = (OpenTelemetrySdk) otel;
        String described = sdk.getSdkTracerProvider() + " " + sdk.getSdkMeterProvider();
        return java.util.stream.Stream.of("BatchSpanProcessor", "SimpleSpanProcessor", "PeriodicMetricReader")
                .filter(described::contains).toList();
    }
}
