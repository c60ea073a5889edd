package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * As the app ships (no {@code QUARKUS_OTEL_SDK_DISABLED=false}), nothing is exported even with an endpoint
 * configured: Quarkus' SDK has no span processor nor metric reader, no exporter bean is built, and the OTLP receiver
 * standing in for the collector sidecar receives nothing from a whole scan.
 */
@QuarkusTest
@WithTestResource(GoogleApis.class)
@WithTestResource(OtlpReceiver.class)
class TelemetryOffTest {
    @Inject
    OpenTelemetry otel;

    @Test
    void aScanExportsNothingWhileTheSdkIsOff() {
        SchedulerTest.tick("2026-11-25T02:00:00.000Z", Tokens.valid())
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        // the same flush that sends everything in TelemetryExportTest: here no exporter was ever built
        if (otel instanceof OpenTelemetrySdk sdk) {
            assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        assertThat(OtlpReceiver.requests()).as("requests to the OTLP receiver").isZero();
    }
}
