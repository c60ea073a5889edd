package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.Cloudwarden;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Without an OTLP endpoint (the app's default) the Lambda app builds no tracer SDK: the runtime's spans are the API's
 * non-recording ones, so nothing is exported and no X-Ray context is entered.
 */
@QuarkusTest
@TestProfile(Profiles.Schedule.class)
class InvocationTracingOffTest {
    @Inject
    InvocationTracing tracing;

    @Inject
    Cloudwarden cw;

    @Test
    void noEndpointMeansNoSdkAndNoRecordedSpan() {
        assertThat(tracing.exporting()).isFalse();
        assertThat(tracing.tracerProvider()).isSameAs(TracerProvider.noop());
        assertThat(cw.telemetry().start("probe", Attributes.empty()).isRecording()).isFalse();
    }
}
