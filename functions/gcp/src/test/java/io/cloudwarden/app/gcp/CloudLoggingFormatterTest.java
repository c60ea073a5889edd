package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.testkit.JsonLogLines;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.jboss.logmanager.MDC;

/** One log record as Cloud Logging's structured JSON line. */
class CloudLoggingFormatterTest {
    private static JsonNode line(CloudLoggingFormatter f, Level level, String message, Throwable thrown) {
        ExtLogRecord r = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.NO_FORMAT,
                CloudLoggingFormatterTest.class.getName());
        r.setLoggerName("io.cloudwarden.test");
        r.setThrown(thrown);
        String text = f.format(r);
        assertThat(text).endsWith("\n").doesNotContain("\n\n");
        List<JsonNode> lines = JsonLogLines.parse(text);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    @Test
    void jbossAndJulLevelsGetCloudLoggingsSeverityNames() {
        CloudLoggingFormatter f = new CloudLoggingFormatter("cw-demo");
        // (Level.equals compares values only: JBoss ERROR equals SEVERE, so pairs rather than a map)
        List<Map.Entry<Level, String>> expected = List.of(
                Map.entry(org.jboss.logmanager.Level.FATAL, "CRITICAL"),
                Map.entry(org.jboss.logmanager.Level.ERROR, "ERROR"), Map.entry(Level.SEVERE, "ERROR"),
                Map.entry(org.jboss.logmanager.Level.WARN, "WARNING"), Map.entry(Level.WARNING, "WARNING"),
                Map.entry(org.jboss.logmanager.Level.INFO, "INFO"), Map.entry(Level.CONFIG, "DEBUG"),
                Map.entry(org.jboss.logmanager.Level.DEBUG, "DEBUG"), Map.entry(org.jboss.logmanager.Level.TRACE,
                        "DEBUG"), Map.entry(Level.FINEST, "DEBUG"));
        expected.forEach(e -> assertThat(line(f, e.getKey(), "m", null).path("severity").asText())
                .as("%s", e.getKey()).isEqualTo(e.getValue()));
    }

    @Test
    void theLogContextGoesToTheTopLevelAndTheTraceToCloudLoggingsFields() {
        CloudLoggingFormatter f = new CloudLoggingFormatter("cw-demo");
        MDC.put("logging.googleapis.com/trace", "projects/cw-demo/traces/4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("logging.googleapis.com/spanId", "00f067aa0ba902b7");
        MDC.put("cloud", "gcp");
        MDC.put("resources", "2");
        try {
            JsonNode l = line(f, org.jboss.logmanager.Level.WARN, "scanned \"gcp\"", new IllegalStateException("x"));
            assertThat(l.path("message").asText()).isEqualTo("scanned \"gcp\"");
            assertThat(l.path("logger").asText()).isEqualTo("io.cloudwarden.test");
            assertThat(l.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(l.path("logging.googleapis.com/trace").asText())
                    .isEqualTo("projects/cw-demo/traces/4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(l.path("logging.googleapis.com/spanId").asText()).isEqualTo("00f067aa0ba902b7");
            assertThat(l.path("cloud").asText()).isEqualTo("gcp");
            assertThat(l.path("resources").asText()).isEqualTo("2");
            assertThat(l.has("mdc")).isFalse();
            assertThat(l.path("stack_trace").asText()).startsWith("java.lang.IllegalStateException: x");

            // with the OpenTelemetry SDK on, the current span (Quarkus' traceId / spanId) is the one linked
            MDC.put("traceId", "0af7651916cd43dd8448eb211c80319c");
            MDC.put("spanId", "b7ad6b7169203331");
            MDC.put("sampled", "true");
            JsonNode otel = line(f, Level.INFO, "m", null);
            assertThat(otel.path("logging.googleapis.com/trace").asText())
                    .isEqualTo("projects/cw-demo/traces/0af7651916cd43dd8448eb211c80319c");
            assertThat(otel.path("logging.googleapis.com/spanId").asText()).isEqualTo("b7ad6b7169203331");
            assertThat(otel.path("logging.googleapis.com/trace_sampled").asBoolean()).isTrue();
            assertThat(otel.has("traceId") || otel.has("spanId") || otel.has("sampled")).isFalse();
        } finally {
            MDC.clear();
        }
    }

    @Test
    void aLineOutsideAnyRequestHasNoTraceFields() {
        JsonNode l = line(new CloudLoggingFormatter(" "), Level.INFO, "started", null);
        assertThat(l.has("logging.googleapis.com/trace")).isFalse();
        assertThat(l.has("logging.googleapis.com/spanId")).isFalse();
    }

    @Test
    void theCallersSpanComesFromTheHeaderTheTraceIdCameFrom() {
        assertThat(RequestLogFilter.spanId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1;o=1")).isEqualTo("00f067aa0ba902b7");
        assertThat(RequestLogFilter.spanId(null, "4bf92f3577b34da6a3ce929d0e0e4736/12345;o=1"))
                .isEqualTo("0000000000003039");
        // the largest 64-bit span id Cloud Run writes in decimal
        assertThat(RequestLogFilter.spanId("garbage", "4bf92f3577b34da6a3ce929d0e0e4736/18446744073709551615"))
                .isEqualTo("ffffffffffffffff");
        assertThat(RequestLogFilter.spanId(null, "4bf92f3577b34da6a3ce929d0e0e4736/18446744073709551616")).isNull();
        assertThat(RequestLogFilter.spanId("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)).isNull();
        assertThat(RequestLogFilter.spanId(null, null)).isNull();
    }
}
