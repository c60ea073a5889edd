package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.telemetry.CloudwardenMetrics;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one invocation recorded, as CloudWatch embedded metric format: deltas, one line per attribute set. */
class EmfMetricsTest {
    private final EmfMetrics emf = new EmfMetrics("Cloudwarden/test", "cw-queue",
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    private final Telemetry telemetry = emf.telemetry();

    @Test
    void eachFlushHoldsOnlyWhatWasRecordedSinceTheLastWithTheTotalAndPerAttributeDimensions() {
        telemetry.metrics().apiCalls(List.of(new ApiCalls(Cloud.AWS, "s3", 7, 2, 1)));
        telemetry.metrics().scanFinished("pooled", Duration.ofMillis(1500));

        List<JsonNode> lines = emf.flush("req-1").stream().map(Lambda::json).toList();

        JsonNode s3 = lines.stream().filter(l -> l.path("service").asText().equals("s3")).findFirst().orElseThrow();
        assertThat(s3.path(CloudwardenMetrics.API_CALLS).asLong()).isEqualTo(7);
        assertThat(s3.path(CloudwardenMetrics.API_RETRIES).asLong()).isEqualTo(2);
        assertThat(s3.path(CloudwardenMetrics.API_THROTTLES).asLong()).isEqualTo(1);
        assertThat(s3.path("cloud").asText()).isEqualTo("aws");
        assertThat(s3.path("requestId").asText()).isEqualTo("req-1");
        assertThat(s3.path("function").asText()).isEqualTo("cw-queue");
        JsonNode directive = s3.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(s3.path("_aws").path("Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z")
                .toEpochMilli());
        assertThat(directive.path("Namespace").asText()).isEqualTo("Cloudwarden/test");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[],[\"cloud\"],[\"service\"],"
                + "[\"cloud\",\"service\"]]");
        assertThat(directive.path("Metrics").toString()).contains("{\"Name\":\"cloudwarden.api.calls\",\"Unit\":"
                + "\"Count\"}");
        JsonNode scan = lines.stream().filter(l -> l.path("mode").asText().equals("pooled")).findFirst()
                .orElseThrow();
        assertThat(scan.path(CloudwardenMetrics.SCAN_DURATION).asDouble()).isEqualTo(1.5);
        assertThat(scan.path(CloudwardenMetrics.SCAN_DURATION + ".count").asLong()).isEqualTo(1);
        assertThat(scan.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").toString())
                .contains("\"Unit\":\"Seconds\"");

        telemetry.metrics().apiCalls(List.of(new ApiCalls(Cloud.AWS, "s3", 3, 0, 0)));
        List<JsonNode> next = emf.flush("req-2").stream().map(Lambda::json).toList();

        assertThat(next).singleElement().satisfies(l -> {
            assertThat(l.path(CloudwardenMetrics.API_CALLS).asLong()).isEqualTo(3);
            assertThat(l.has(CloudwardenMetrics.API_THROTTLES)).isFalse();
        });
        assertThat(emf.flush("req-3")).isEmpty();
    }
}
