package io.cloudwarden.app.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where Cloudwarden's telemetry goes, decided from the app settings. */
class TelemetryDestinationTest {
    private static final String CS = "InstrumentationKey=5f2c8e4a-93d1-4b7e-a6f0-1c2d3e4f5a6b;"
            + "IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;"
            + "LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/";

    private static TelemetryDestination of(Map<String, String> settings) {
        return TelemetryDestination.of(settings::get);
    }

    @Test
    void theConnectionStringAloneSendsToApplicationInsights() {
        assertThat(of(Map.of(TelemetryDestination.CONNECTION_STRING, CS)))
                .isEqualTo(TelemetryDestination.APPLICATION_INSIGHTS);
    }

    @Test
    void anOtlpEndpointWinsOverTheConnectionStringTheInfraAlwaysPasses() {
        assertThat(of(Map.of(TelemetryDestination.CONNECTION_STRING, CS,
                TelemetryDestination.QUARKUS_OTLP_ENDPOINT, "http://collector:4318")))
                .isEqualTo(TelemetryDestination.OTLP);
        assertThat(of(Map.of(TelemetryDestination.OTEL_OTLP_ENDPOINT, "http://collector:4318")))
                .isEqualTo(TelemetryDestination.OTLP);
    }

    @Test
    void quarkusDefaultEndpointAndBlankValuesAreNotSettings() {
        assertThat(of(Map.of(TelemetryDestination.QUARKUS_OTLP_ENDPOINT, "http://localhost:4317/",
                TelemetryDestination.CONNECTION_STRING, " "))).isEqualTo(TelemetryDestination.NONE);
        assertThat(of(Map.of())).isEqualTo(TelemetryDestination.NONE);
    }

    @Test
    void aConnectionStringWithoutInstrumentationKeyIsRefusedWithoutEchoingIt() {
        String secretish = "IngestionEndpoint=https://example.invalid/;Authorization=token-abc123";
        assertThatThrownBy(() -> of(Map.of(TelemetryDestination.CONNECTION_STRING, secretish)))
                .isInstanceOf(TelemetryDestination.InvalidTelemetryConfigException.class)
                .hasMessageContaining("APPLICATIONINSIGHTS_CONNECTION_STRING")
                .hasMessageContaining("InstrumentationKey=<GUID>")
                .hasMessageNotContaining("token-abc123").hasMessageNotContaining("example.invalid");
    }
}
