package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.functions.ConfigException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the Lambda app builds its span export, where it sends, and the X-Ray context it gives an invocation. */
class InvocationTracingTest {
    private static final String XRAY_PROPERTY = "com.amazonaws.xray.traceHeader";

    private static Function<String, Optional<String>> settings(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void withoutAnEndpointNothingIsBuiltAndTheTracerIsTheApisNoOp() {
        InvocationTracing tracing = InvocationTracing.from(settings(Map.of()), Map.of());

        assertThat(tracing.exporting()).isFalse();
        assertThat(tracing.tracerProvider()).isSameAs(TracerProvider.noop());
        assertThat(tracing.enterInvocation()).isSameAs(Scope.noop());
        assertThat(tracing.tracerProvider().get("io.cloudwarden").spanBuilder("s").startSpan().isRecording())
                .isFalse();
        tracing.flush();
    }

    @Test
    void theSdkSwitchTurnsExportOffWhateverTheEndpoint() {
        InvocationTracing tracing = InvocationTracing.from(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://localhost:4318", InvocationTracing.DISABLED, "true")), Map.of());

        assertThat(tracing.exporting()).isFalse();
    }

    @Test
    void theBaseEndpointGetsTheTracesPathAndTheTracesEndpointIsUsedAsIs() {
        assertThat(InvocationTracing.tracesEndpoint(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://localhost:4318")))).contains(URI.create("http://localhost:4318/v1/traces"));
        assertThat(InvocationTracing.tracesEndpoint(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://localhost:4318/")))).contains(URI.create("http://localhost:4318/v1/traces"));
        assertThat(InvocationTracing.tracesEndpoint(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://localhost:4318", InvocationTracing.TRACES_ENDPOINT, "https://collector.example:4318/spans"))))
                .contains(URI.create("https://collector.example:4318/spans"));
        assertThat(InvocationTracing.tracesEndpoint(settings(Map.of(InvocationTracing.ENDPOINT, " ")))).isEmpty();
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> InvocationTracing.from(settings(Map.of(InvocationTracing.ENDPOINT,
                "localhost:4318")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("otel.exporter.otlp.endpoint: expected an http(s) URL such as http://localhost:4318 but "
                        + "was 'localhost:4318'");
    }

    @Test
    void aProtocolOtherThanHttpProtobufIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> InvocationTracing.from(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://localhost:4317", InvocationTracing.PROTOCOL, "grpc")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("otel.exporter.otlp.protocol: expected http/protobuf")
                .hasMessageEndingWith("but was 'grpc'");
    }

    @Test
    void anInvocationRunsInTheXRayTraceOfTheHeaderLambdaSetForIt() {
        String previous = System.getProperty(XRAY_PROPERTY);
        System.setProperty(XRAY_PROPERTY, "Root=1-6b13afea-058b77b105b57b31726873f7;Parent=e55b9ddec56404b6;"
                + "Sampled=1;Lineage=a87bd80c:1");
        // nothing listens there: building the exporter opens no connection, and no span is ended here
        try (InvocationTracing tracing = InvocationTracing.from(settings(Map.of(InvocationTracing.ENDPOINT,
                "http://127.0.0.1:9")), Map.of("AWS_LAMBDA_FUNCTION_NAME", "cw-schedule"));
                Scope ignored = tracing.enterInvocation()) {
            SpanContext parent = Span.current().getSpanContext();

            assertThat(tracing.exporting()).isTrue();
            assertThat(parent.getTraceId()).isEqualTo("6b13afea058b77b105b57b31726873f7");
            assertThat(parent.getSpanId()).isEqualTo("e55b9ddec56404b6");
            assertThat(parent.isSampled()).isTrue();
            assertThat(parent.isRemote()).isTrue();
        } finally {
            if (previous == null) {
                System.clearProperty(XRAY_PROPERTY);
            } else {
                System.setProperty(XRAY_PROPERTY, previous);
            }
        }
    }

    @Test
    void aTraceIdItStartsBeginsWithTheTimeAsXRayRequires() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        XRayIdGenerator ids = new XRayIdGenerator(IdGenerator.random(), clock);

        String traceId = ids.generateTraceId();

        assertThat(TraceId.isValid(traceId)).isTrue();
        assertThat(Long.parseLong(traceId.substring(0, 8), 16)).isEqualTo(clock.instant().getEpochSecond());
        assertThat(ids.generateTraceId().substring(8)).isNotEqualTo(traceId.substring(8));
    }
}
