package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cloudwarden's span tree of a real {@code schedule} invocation (recorded AWS estate, remediation in process) reaches
 * an OTLP receiver inside the invocation's X-Ray trace: the trace id is the X-Ray header's {@code Root} in W3C form,
 * the top span's parent is its {@code Parent}, and the spans were sent before the invocation returned.
 */
@QuarkusTest
@TestProfile(Profiles.ScheduleTraced.class)
class InvocationSpansTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @InjectWireMock
    WireMockServer wm;

    @OtlpReceiver.Inject
    OtlpReceiver collector;

    @BeforeEach
    void reset() {
        wm.resetAll();
        Recorded.stubEstate(wm);
    }

    @Test
    void theInvocationsSpanTreeIsExportedInsideItsXRayTraceBeforeItReturns() {
        XRayHeader xray = XRayHeader.sampled(true);

        JsonNode r = invoke(xray, "2026-11-24T10:00:00Z");

        // read at once: the spans were exported before the invocation returned (Lambda freezes the process after)
        List<Span> spans = collector.spans().stream().filter(s -> hex(s.getTraceId()).equals(xray.traceId()))
                .toList();
        assertThat(spans).as("spans of trace %s", xray.traceId()).isNotEmpty();
        Span scan = one(spans, Telemetry.SCAN);
        assertThat(hex(scan.getParentSpanId())).as("the X-Ray header's Parent").isEqualTo(xray.parent());
        List<Span> collects = named(spans, Telemetry.COLLECT);
        assertThat(collects).as("one collect span per shard").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(c -> assertThat(c.getParentSpanId()).isEqualTo(scan.getSpanId()));
        assertThat(collects.stream().mapToLong(c -> longAttribute(c, Telemetry.RESOURCES.getKey())).sum())
                .as("the shards' resources").isEqualTo(r.path("resources").asLong());
        Span evaluate = one(spans, Telemetry.EVALUATE);
        assertThat(evaluate.getParentSpanId()).isEqualTo(scan.getSpanId());
        Span plan = one(spans, Telemetry.PLAN);
        assertThat(plan.getParentSpanId()).isEqualTo(scan.getSpanId());
        // in process (no work queue): each planned fix is handled under the plan span, a dry run by default
        int requests = r.path("remediationRequests").asInt();
        assertThat(requests).isPositive();
        assertThat(named(spans, Telemetry.APPLY)).hasSize(requests)
                .allSatisfy(a -> assertThat(a.getParentSpanId()).isEqualTo(plan.getSpanId()));
        assertThat(spans).as("nothing else in the trace").hasSize(1 + collects.size() + 1 + 1 + requests);
        assertThat(collector.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
        assertThat(collector.resourceAttributes()).contains("service.name=cloudwarden", "cloud.provider=aws",
                "cloud.platform=aws_lambda");
    }

    @Test
    void anInvocationXRayDidNotSampleExportsNoSpan() {
        XRayHeader xray = XRayHeader.sampled(false);

        JsonNode r = invoke(xray, "2026-11-24T11:00:00Z");

        assertThat(r.path("resources").asInt()).isPositive();
        assertThat(collector.spans()).noneMatch(s -> hex(s.getTraceId()).equals(xray.traceId()));
    }

    /**
     * Invokes the schedule function through Quarkus' mock Lambda event server with {@code header} as the invocation's
     * X-Ray trace header. The runtime API hands it over as {@code Lambda-Runtime-Trace-Id}, which the runtime sets
     * as the system property {@code com.amazonaws.xray.traceHeader} for the invocation; Quarkus 3.34's mock server
     * fills that header from the event's {@code Lambda-Runtime-Aws-Request-Id}, so the header goes in both.
     */
    private static JsonNode invoke(XRayHeader xray, String tick) {
        return Lambda.result(RestAssured.given().header("Lambda-Runtime-Aws-Request-Id", xray.header())
                .header("Lambda-Runtime-Trace-Id", xray.header()),
                "{\"job\":\"traced-scan\",\"scheduledTime\":\"" + tick + "\"}");
    }

    private static Span one(List<Span> spans, String name) {
        List<Span> found = named(spans, name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static List<Span> named(List<Span> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }

    private static long longAttribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key))
                .mapToLong(a -> a.getValue().getIntValue()).findFirst().orElse(-1);
    }

    private static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    /** An X-Ray trace header as Lambda sets it: {@code Root=1-<8 hex seconds>-<24 hex>;Parent=<16 hex>;Sampled=1}. */
    record XRayHeader(String seconds, String random, String parent, boolean sampled) {
        static XRayHeader sampled(boolean sampled) {
            byte[] random = new byte[12];
            byte[] parent = new byte[8];
            RANDOM.nextBytes(random);
            RANDOM.nextBytes(parent);
            return new XRayHeader(String.format("%08x", Instant.now().getEpochSecond()),
                    HexFormat.of().formatHex(random), HexFormat.of().formatHex(parent), sampled);
        }

        String header() {
            return "Root=1-" + seconds + "-" + random + ";Parent=" + parent + ";Sampled=" + (sampled ? "1" : "0");
        }

        /** The X-Ray root in W3C form: its two hex parts, joined. */
        String traceId() {
            return seconds + random;
        }
    }
}
