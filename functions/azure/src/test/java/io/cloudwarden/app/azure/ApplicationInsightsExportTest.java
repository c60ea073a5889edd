package io.cloudwarden.app.azure;

import static io.cloudwarden.app.azure.RecordedAzure.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With {@code APPLICATIONINSIGHTS_CONNECTION_STRING} set (here pointing at a local ingestion endpoint), a real timer
 * scan over the recorded Azure estate reaches Application Insights as the telemetry items its tables hold:
 * Cloudwarden's counters as {@code customMetrics} (name = instrument name, {@code customDimensions} = the
 * attributes) and the invocation's span tree as {@code requests} / {@code dependencies} of one operation.
 */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
@WithTestResource(ApplicationInsightsIngestion.class)
class ApplicationInsightsExportTest {
    @Inject
    Cloudwarden cw;
    @Inject
    TelemetryExport export;
    @Inject
    io.opentelemetry.api.OpenTelemetry otel;

    @Test
    void aTimerScanReachesApplicationInsightsAsMetricsAndOneOperationOfSpans() throws Exception {
        assertThat(export.destination()).isEqualTo(TelemetryDestination.APPLICATION_INSIGHTS);
        assertThat(TelemetryOffTest.exporting(otel)).contains("BatchSpanProcessor", "PeriodicMetricReader");
        String tick = fixture("envelopes/timer-invocation.json")
                .replace("2026-11-23T06:00:00+00:00", "2026-11-19T06:00:00+00:00")
                .replace("2026-11-23T12:00:00+00:00", "2026-11-19T12:00:00+00:00");

        JsonNode answer = ModelJson.mapper().readTree(given().contentType(ContentType.JSON).body(tick)
                .post("/timer").then().statusCode(200).extract().asString());
        assertThat(answer.at("/ReturnValue/errors").asInt()).isZero();

        Map<String, Long> scannedByType = cw.repository().latestSnapshot().orElseThrow().resources().stream()
                .collect(Collectors.groupingBy(Resource::type, TreeMap::new, Collectors.counting()));
        assertThat(scannedByType).isNotEmpty();

        // metrics: delta sums per export; every item of this app's key, the resources scanned by cloud and type
        // (the scan's duration is recorded when the scan ends, so it may come in a later export than its counts)
        List<JsonNode> items = awaitItems(all -> scannedSums(all).equals(scannedByType)
                && !metrics(all, "cloudwarden.api.calls").isEmpty()
                && !metrics(all, "cloudwarden.scan.duration").isEmpty()
                && dependency(all, "cloudwarden.evaluate") != null, Duration.ofSeconds(60));
        assertThat(items).allSatisfy(i -> assertThat(i.path("iKey").asText())
                .isEqualTo(ApplicationInsightsIngestion.INSTRUMENTATION_KEY));
        assertThat(scannedSums(items)).isEqualTo(scannedByType);
        assertThat(metrics(items, "cloudwarden.resources.scanned"))
                .allSatisfy(m -> assertThat(m.path("properties").path("cloud").asText()).isEqualTo("azure"));
        assertThat(metrics(items, "cloudwarden.api.calls")).isNotEmpty()
                .allSatisfy(m -> assertThat(m.path("properties").has("service")).isTrue());
        assertThat(metrics(items, "cloudwarden.scan.duration")).isNotEmpty()
                .allSatisfy(m -> assertThat(m.path("properties").path("mode").asText()).isEqualTo("pooled"));

        // spans: the host's request (the custom handler's POST /timer) → scan → collect (per shard), evaluate
        JsonNode scan = dependency(items, "cloudwarden.scan");
        assertThat(scan).as("the scan span as a dependency").isNotNull();
        String operation = scan.path("tags").path("ai.operation.id").asText();
        assertThat(operation).hasSize(32);
        String scanId = scan.path("data").path("baseData").path("id").asText();
        List<JsonNode> collects = dependencies(items, "cloudwarden.collect");
        // one collect span per shard read: what they say they read, by type, is the snapshot
        Map<String, Long> collectedByType = collects.stream().map(c -> c.path("data").path("baseData")
                .path("properties")).collect(Collectors.groupingBy(p -> p.path("cloudwarden.type").asText(),
                TreeMap::new, Collectors.summingLong(p -> Long.parseLong(p.path("cloudwarden.resources").asText()))));
        collectedByType.values().removeIf(n -> n == 0);
        assertThat(collectedByType).isEqualTo(scannedByType);
        assertThat(collects).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("tags").path("ai.operation.id").asText()).isEqualTo(operation);
            assertThat(c.path("tags").path("ai.operation.parentId").asText()).isEqualTo(scanId);
            assertThat(c.path("data").path("baseData").path("properties").path("cloudwarden.cloud").asText())
                    .isEqualTo("azure");
        });
        JsonNode evaluate = dependency(items, "cloudwarden.evaluate");
        assertThat(evaluate.path("tags").path("ai.operation.id").asText()).isEqualTo(operation);
        assertThat(evaluate.path("tags").path("ai.operation.parentId").asText()).isEqualTo(scanId);
        JsonNode request = items.stream().filter(i -> "RequestData".equals(i.path("data").path("baseType").asText()))
                .filter(i -> operation.equals(i.path("tags").path("ai.operation.id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no request of operation " + operation));
        assertThat(scan.path("tags").path("ai.operation.parentId").asText())
                .isEqualTo(request.path("data").path("baseData").path("id").asText());

        // the connection string is a credential: it is in no log line
        String logs = Files.readString(Path.of("target/json-log-lines.log"));
        assertThat(logs).doesNotContain(ApplicationInsightsIngestion.INSTRUMENTATION_KEY);
    }

    private static List<JsonNode> awaitItems(Predicate<List<JsonNode>> complete, Duration patience)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        List<JsonNode> items = ApplicationInsightsIngestion.items();
        while (!complete.test(items) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            items = ApplicationInsightsIngestion.items();
        }
        return items;
    }

    /** The MetricData items' metric entries of one instrument, each with the item's properties beside it. */
    private static List<JsonNode> metrics(List<JsonNode> items, String name) {
        return items.stream().filter(i -> "MetricData".equals(i.path("data").path("baseType").asText()))
                .map(i -> i.path("data").path("baseData"))
                .filter(b -> name.equals(b.path("metrics").path(0).path("name").asText()))
                .map(b -> (JsonNode) ((com.fasterxml.jackson.databind.node.ObjectNode) b.path("metrics").path(0)
                        .deepCopy()).set("properties", b.path("properties")))
                .toList();
    }

    private static Map<String, Long> scannedSums(List<JsonNode> items) {
        return metrics(items, "cloudwarden.resources.scanned").stream().collect(Collectors.groupingBy(
                m -> m.path("properties").path("type").asText(), TreeMap::new,
                Collectors.summingLong(m -> Math.round(m.path("value").asDouble()))));
    }

    private static List<JsonNode> dependencies(List<JsonNode> items, String name) {
        return items.stream().filter(i -> "RemoteDependencyData".equals(i.path("data").path("baseType").asText()))
                .filter(i -> name.equals(i.path("data").path("baseData").path("name").asText())).toList();
    }

    private static JsonNode dependency(List<JsonNode> items, String name) {
        List<JsonNode> found = dependencies(items, name);
        return found.isEmpty() ? null : found.get(0);
    }
}
