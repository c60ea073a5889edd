package io.cloudwarden.functions.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void theCloudRunTraceIdComesFromTraceparentElseFromTheCloudTraceHeader() {
        assertThat(LogContext.traceId("00-" + TRACE + "-00f067aa0ba902b7-01", null)).isEqualTo(TRACE);
        assertThat(LogContext.traceId(null, TRACE.toUpperCase() + "/1;o=1")).isEqualTo(TRACE);
        assertThat(LogContext.traceId("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", TRACE + "/7"))
                .as("an all-zero traceparent is invalid").isEqualTo(TRACE);
        assertThat(LogContext.traceId("garbage", "not-a-trace")).isNull();
        assertThat(LogContext.traceId(null, null)).isNull();
    }

    @Test
    void theFieldsHoldForTheInvocationAndThePreviousValuesComeBack() {
        MDC.put(LogContext.CLOUD, "outer");
        try (LogContext ignored = LogContext.cloudRun("p1", TRACE)) {
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo(TRACE);
            assertThat(MDC.get(LogContext.GCP_TRACE)).isEqualTo("projects/p1/traces/" + TRACE);
            assertThat(MDC.get(LogContext.CLOUD)).isEqualTo("gcp");
        }
        assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
        assertThat(MDC.get(LogContext.GCP_TRACE)).isNull();
        assertThat(MDC.get(LogContext.CLOUD)).isEqualTo("outer");
        MDC.remove(LogContext.CLOUD);
        try (LogContext ignored = LogContext.cloudRun("", TRACE)) {
            assertThat(MDC.get(LogContext.GCP_TRACE)).as("no project, no trace name").isNull();
        }
    }
}
