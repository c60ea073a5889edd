package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.logging.LogContext;
import io.cloudwarden.testkit.JsonLogLines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: every stderr line is one JSON object; a scheduled scan logs one summary line. */
class LogFormatTest {
    /** The recorded EventBridge "Scheduled Event" of the AWS function's tests (stored once, there). */
    static final String TICK = Path.of("../aws/src/test/resources/envelopes/eventbridge-scheduled-event.json")
            .toAbsolutePath().normalize().toString();

    @TempDir
    Path state;

    @Test
    void aScheduledScanThroughTheCliLogsOneJsonSummaryLine() {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("--log-format", "json", "event", "--sandbox", "--cloud",
                "aws", "--file", TICK, "--state-dir", state.toString());

        assertThat(run.code()).as(run.err()).isIn(ExitCodes.OK, ExitCodes.PARTIAL);
        List<JsonNode> lines = JsonLogLines.parse(run.err());
        assertThat(lines).allSatisfy(l -> assertThat(List.of(l.path("time").isTextual(), l.path("severity")
                .isTextual(), l.path("logger").isTextual(), l.path("message").isTextual())).as("%s", l)
                .containsOnly(true));
        List<JsonNode> summaries = lines.stream().filter(l -> "scan.summary".equals(l.path("event").asText()))
                .toList();
        assertThat(summaries).hasSize(1);
        JsonNode s = summaries.get(0);
        assertThat(s.path("severity").asText()).isEqualTo("INFO");
        assertThat(s.path("logger").asText()).isEqualTo("io.cloudwarden.functions.logging.ScanSummary");
        assertThat(s.path("cloud").asText()).isEqualTo("aws");
        assertThat(s.path("trigger").asText()).isEqualTo("schedule:aws@89d1a02d-5ec7-412e-82f5-13505f849b41");
        assertThat(s.path("resources").isInt()).as("counts are numbers").isTrue();
        assertThat(s.path("resources").asInt()).isPositive();
        assertThat(s.path("findings").asInt()).isEqualTo(s.path("findings.critical").asInt()
                + s.path("findings.high").asInt() + s.path("findings.medium").asInt() + s.path("findings.low").asInt()
                + s.path("findings.info").asInt());
        assertThat(s.path("shards.read").asInt() + s.path("shards.unread").asInt())
                .isEqualTo(s.path("shards.planned").asInt()).isPositive();
        assertThat(s.path("durationMs").isIntegralNumber()).isTrue();
    }

    @Test
    void theEnvironmentChoosesTheFormatWhenTheOptionIsAbsentAndABadValueIsNamed() {
        assertThat(CliLogging.resolve(null, Map.of(CliLogging.ENV, "JSON"))).isEqualTo(CliLogging.Format.JSON);
        assertThat(CliLogging.resolve("text", Map.of(CliLogging.ENV, "json"))).isEqualTo(CliLogging.Format.TEXT);
        assertThat(CliLogging.resolve(null, Map.of())).isEqualTo(CliLogging.Format.TEXT);

        SandboxOptionsTest.Run bad = SandboxOptionsTest.cli("--log-format", "xml", "rules");
        assertThat(bad.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(bad.err()).contains("--log-format: expected text or json but was 'xml'");
    }

    @Test
    void aLineCarriesTheRequestIdAndNeverASecret() {
        LogRecord r = new LogRecord(Level.WARNING, "retrying with token=abc123 and region=us-east-1");
        r.setLoggerName("software.amazon.awssdk.request");
        String line;
        try (LogContext ignored = LogContext.of(Map.of(LogContext.REQUEST_ID, "req-7", "clientSecret", "s3cr3t",
                "resources", "12"))) {
            line = new CliLogging.JsonLines().format(r);
        }

        JsonNode json = JsonLogLines.parse(line).get(0);
        assertThat(json.path("severity").asText()).isEqualTo("WARNING");
        assertThat(json.path("logger").asText()).isEqualTo("software.amazon.awssdk.request");
        assertThat(json.path("requestId").asText()).isEqualTo("req-7");
        assertThat(json.path("resources").asInt()).isEqualTo(12);
        assertThat(json.path("clientSecret").asText()).isEqualTo("[redacted]");
        assertThat(json.path("message").asText()).isEqualTo("retrying with token=[redacted] and region=us-east-1");
        assertThat(line).doesNotContain("abc123", "s3cr3t").endsWith(System.lineSeparator())
                .hasLineCount(1);
    }
}
