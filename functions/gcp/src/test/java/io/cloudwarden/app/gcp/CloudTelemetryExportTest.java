package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.devtools.cloudtrace.v2.Span;
import com.google.monitoring.v3.TimeSeries;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Resource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With the SDK on (as infra/gcp deploys it), one scheduled scan's metrics reach Cloud Monitoring and its span tree
 * Cloud Trace through Google's exporters: a gRPC fake of both services on 127.0.0.1 receives what they send.
 */
@QuarkusTest
@TestProfile(CloudTelemetryExportTest.SdkOn.class)
@WithTestResource(GoogleApis.class)
@WithTestResource(CloudTelemetryApis.class)
class CloudTelemetryExportTest {
    public static class SdkOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false");
        }
    }

    @Inject
    Cloudwarden cw;

    /** {@code local.workload} of infra/gcp/monitoring.tf: the metric type prefix its filters put before a name. */
    static String monitoringTfPrefix() {
        try {
            Matcher m = Pattern.compile("(?m)^\\s*workload\\s*=\\s*\"([^\"]+)\"").matcher(
                    Files.readString(Path.of("../../infra/gcp/monitoring.tf")));
            assertThat(m.find()).as("infra/gcp/monitoring.tf sets local.workload").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Inject
    OpenTelemetry otel;

    @Test
    void aScheduledScansMetricsAndSpanTreeReachCloudMonitoringAndCloudTrace() {
        String traceId = String.format("%032x", System.nanoTime());
        String callerSpan = "00f067aa0ba902b7";
        String time = "2026-11-24T02:00:00.000Z";
        SchedulerTest.tick(time, Tokens.valid()).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        assertThat(otel).isInstanceOf(OpenTelemetrySdk.class);
        OpenTelemetrySdk sdk = (OpenTelemetrySdk) otel;
        assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

        // metrics: workload.googleapis.com/<instrument>, the names infra/gcp/monitoring.tf queries
        assertThat(CloudTelemetryApis.TIME_SERIES).allSatisfy(r ->
                assertThat(r.getName()).isEqualTo("projects/" + CloudTelemetryApis.PROJECT));
        List<TimeSeries> series = CloudTelemetryApis.timeSeries();
        // only Cloudwarden's own instruments (no JVM, HTTP server or SDK-internal series billed as custom metrics),
        // named as infra/gcp/monitoring.tf's dashboard and alert policies query them: ${local.workload}/<instrument>
        assertThat(series).isNotEmpty().allSatisfy(t -> assertThat(t.getMetric().getType())
                .startsWith(monitoringTfPrefix() + "/cloudwarden."));
        assertThat(CloudTelemetryApis.DESCRIPTORS).isNotEmpty().allSatisfy(d -> assertThat(
                d.getMetricDescriptor().getType()).startsWith("workload.googleapis.com/cloudwarden."));
        Map<String, Long> expected = cw.repository().latestSnapshot().orElseThrow().resources().stream()
                .collect(Collectors.groupingBy(Resource::type, Collectors.counting()));
        assertThat(expected).isNotEmpty();
        // cumulative series (each export repeats the total since start): the latest, i.e. largest, point per type
        Map<String, Long> scanned = series.stream()
                .filter(t -> t.getMetric().getType().equals(monitoringTfPrefix() + "/cloudwarden.resources.scanned"))
                .filter(t -> "gcp".equals(t.getMetric().getLabelsMap().get("cloud")))
                .collect(Collectors.toMap(t -> t.getMetric().getLabelsMap().get("type"),
                        t -> t.getPoints(0).getValue().getInt64Value(), Math::max));
        assertThat(scanned).isEqualTo(expected);

        // spans: the request's trace, scan -> collect (one per shard) / evaluate / plan
        List<Span> spans = CloudTelemetryApis.spans().stream()
                .filter(s -> s.getName().startsWith("projects/" + CloudTelemetryApis.PROJECT + "/traces/" + traceId
                        + "/spans/")).toList();
        Map<String, List<Span>> byName = spans.stream()
                .collect(Collectors.groupingBy(s -> s.getDisplayName().getValue()));
        assertThat(byName.get("cloudwarden.scan")).hasSize(1);
        Span scan = byName.get("cloudwarden.scan").get(0);
        assertThat(byName.get("cloudwarden.collect")).isNotEmpty().allSatisfy(c ->
                assertThat(c.getParentSpanId()).isEqualTo(scan.getSpanId()));
        assertThat(byName.get("cloudwarden.evaluate")).singleElement().satisfies(e ->
                assertThat(e.getParentSpanId()).isEqualTo(scan.getSpanId()));
        assertThat(byName.get("cloudwarden.plan")).singleElement().satisfies(p ->
                assertThat(p.getParentSpanId()).isEqualTo(scan.getSpanId()));
        // one collect span per shard the scan read, each naming its resource type (buckets among them)
        assertThat(byName.get("cloudwarden.collect")).extracting(c -> c.getAttributes().getAttributeMapMap()
                .get("cloudwarden.type").getStringValue().getValue()).contains("storage.bucket");
        Map<String, Span> byId = spans.stream().collect(Collectors.toMap(Span::getSpanId, Function.identity()));
        Span root = scan;
        while (byId.containsKey(root.getParentSpanId())) {
            root = byId.get(root.getParentSpanId());
        }
        assertThat(root.getParentSpanId()).as("the tree hangs off the caller's span").isEqualTo(callerSpan);
    }
}
