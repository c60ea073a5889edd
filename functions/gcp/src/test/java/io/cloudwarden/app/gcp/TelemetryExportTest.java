package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Resource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With the SDK on (as infra/gcp deploys it beside its collector sidecar), one scheduled scan's metrics and span tree
 * reach the collector over OTLP/HTTP (protobuf): an OTLP receiver on 127.0.0.1 ({@link OtlpReceiver}) decodes what
 * the app posted.
 */
@QuarkusTest
@TestProfile(TelemetryExportTest.SdkOn.class)
@WithTestResource(GoogleApis.class)
@WithTestResource(OtlpReceiver.class)
class TelemetryExportTest {
    public static class SdkOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false");
        }
    }

    @Inject
    Cloudwarden cw;

    @Inject
    OpenTelemetry otel;

    @Test
    void aScheduledScansMetricsAndSpanTreeReachTheCollectorOverOtlp() {
        String traceId = String.format("%032x", System.nanoTime());
        String callerSpan = "00f067aa0ba902b7";
        SchedulerTest.tick("2026-11-24T02:00:00.000Z", Tokens.valid())
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        // metrics: flushed before the response left (TelemetryFlush), not at the reader's next interval
        Map<String, Long> expected = cw.repository().latestSnapshot().orElseThrow().resources().stream()
                .collect(Collectors.groupingBy(Resource::type, Collectors.counting()));
        assertThat(expected).isNotEmpty();
        assertThat(scannedByType()).as("cloudwarden.resources.scanned{cloud=gcp} per type, as stored")
                .isEqualTo(expected);
        // only Cloudwarden's own instruments: no JVM, HTTP server or SDK-internal series billed as custom metrics
        assertThat(OtlpReceiver.metrics()).isNotEmpty().allSatisfy(m -> assertThat(m.getName()).startsWith("cloudwarden."));

        // spans: the request's own span ends after its response; flush it as the next request (or shutdown) would
        assertThat(otel).isInstanceOf(OpenTelemetrySdk.class);
        assertThat(((OpenTelemetrySdk) otel).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS)
                .isSuccess()).isTrue();
        assertThat(OtlpReceiver.contentTypes()).isNotEmpty().allSatisfy(t ->
                assertThat(t).isEqualTo("application/x-protobuf"));
        List<Span> spans = OtlpReceiver.spans().stream().filter(s -> hex(s.getTraceId()).equals(traceId)).toList();
        Map<String, List<Span>> byName = spans.stream().collect(Collectors.groupingBy(Span::getName));
        assertThat(byName.get("cloudwarden.scan")).hasSize(1);
        Span scan = byName.get("cloudwarden.scan").get(0);
        assertThat(byName.get("cloudwarden.collect")).isNotEmpty().allSatisfy(c ->
                assertThat(c.getParentSpanId()).isEqualTo(scan.getSpanId()));
        assertThat(byName.get("cloudwarden.collect")).extracting(c -> attribute(c.getAttributesList(), "cloudwarden.type"))
                .contains("storage.bucket");
        assertThat(byName.get("cloudwarden.evaluate")).singleElement().satisfies(e ->
                assertThat(e.getParentSpanId()).isEqualTo(scan.getSpanId()));
        assertThat(byName.get("cloudwarden.plan")).singleElement().satisfies(p ->
                assertThat(p.getParentSpanId()).isEqualTo(scan.getSpanId()));
        // scan's parent: the extension's span of the HTTP request, itself the child of the caller's span
        Map<ByteString, Span> byId = spans.stream().collect(Collectors.toMap(Span::getSpanId, Function.identity()));
        Span request = byId.get(scan.getParentSpanId());
        assertThat(request).as("the HTTP request's span, parent of cloudwarden.scan").isNotNull();
        assertThat(request.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(request.getName()).contains("/schedule");
        assertThat(hex(request.getParentSpanId())).as("the tree hangs off the caller's span").isEqualTo(callerSpan);
    }

    /** The latest (largest: cumulative) point of cloudwarden.resources.scanned per type, for cloud=gcp. */
    private static Map<String, Long> scannedByType() {
        return OtlpReceiver.metrics().stream().filter(m -> m.getName().equals("cloudwarden.resources.scanned"))
                .map(Metric::getSum).flatMap(s -> s.getDataPointsList().stream())
                .filter(p -> "gcp".equals(attribute(p.getAttributesList(), "cloud")))
                .collect(Collectors.toMap(p -> attribute(p.getAttributesList(), "type"), NumberDataPoint::getAsInt,
                        Math::max));
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
                .findFirst().orElse(null);
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
