package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cloudwarden.functions.logging.LogContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One log record as one line of Cloud Logging's structured JSON (the "special fields" Cloud Run's logging agent
 * reads from a container's standard output): {@code severity} with Cloud Logging's names ({@link #severity}),
 * {@code time}, {@code message}, {@code logger}, {@code logging.googleapis.com/trace} ({@code projects/P/traces/T})
 * and {@code logging.googleapis.com/spanId} (16 hex digits) at the top level, where Cloud Logging turns them into the
 * entry's severity and trace link; every other field of the invocation's log context (requestId, cloud, trigger,
 * the scan summary's counts) at the top level too, which Cloud Logging keeps as {@code jsonPayload.<field>}. An
 * exception becomes {@code stack_trace} (the field Error Reporting reads).
 *
 * <p>Trace and span: the request's (RequestLogFilter, from {@code traceparent} / {@code X-Cloud-Trace-Context}); when
 * the OpenTelemetry SDK is on, the span current when the line was written (Quarkus puts its {@code traceId} and
 * {@code spanId} in the log context), so a line links to the exported span it belongs to. quarkus-logging-json's
 * own {@code log-format=gcp} was not enough: it keeps the JBoss level names ({@code WARN}), writes the trace as
 * {@code trace} (not a field Cloud Logging reads) under the application's name instead of the project, and leaves
 * the log context under {@code mdc}.
 */
public final class CloudLoggingFormatter extends ExtFormatter {
    public static final String TRACE = LogContext.GCP_TRACE;
    public static final String SPAN_ID = "logging.googleapis.com/spanId";
    public static final String TRACE_SAMPLED = "logging.googleapis.com/trace_sampled";
    /** The keys Quarkus' OpenTelemetry extension puts in the log context while a span is current. */
    private static final String OTEL_TRACE_ID = "traceId";
    private static final String OTEL_SPAN_ID = "spanId";
    private static final String OTEL_SAMPLED = "sampled";
    private static final JsonFactory JSON = new JsonFactory();

    private final String project;

    /** @param project the project trace names are written under; null or blank: the request's own only */
    public CloudLoggingFormatter(String project) {
        this.project = project == null || project.isBlank() ? null : project.trim();
    }

    @Override
    public String format(ExtLogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("severity", severity(record.getLevel()));
            json.writeStringField("message", formatMessage(record));
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("thread", record.getThreadName());
            Map<String, String> mdc = new TreeMap<>(record.getMdcCopy());
            String traceId = mdc.remove(OTEL_TRACE_ID);
            String spanId = mdc.remove(OTEL_SPAN_ID);
            String sampled = mdc.remove(OTEL_SAMPLED);
            String trace = mdc.remove(TRACE);
            String requestSpan = mdc.remove(SPAN_ID);
            if (traceId != null && spanId != null && project != null) {
                trace = "projects/" + project + "/traces/" + traceId;
                requestSpan = spanId;
            }
            if (trace != null) {
                json.writeStringField(TRACE, trace);
                if (requestSpan != null) {
                    json.writeStringField(SPAN_ID, requestSpan);
                }
                if (sampled != null) {
                    json.writeBooleanField(TRACE_SAMPLED, Boolean.parseBoolean(sampled));
                }
            }
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            if (record.getThrown() != null) {
                StringWriter stack = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(stack));
                json.writeStringField("stack_trace", stack.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    /**
     * Cloud Logging's {@code LogSeverity} name of a JBoss / java.util.logging level: FATAL → CRITICAL, ERROR and
     * SEVERE → ERROR, WARN and WARNING → WARNING, INFO → INFO, CONFIG and below (DEBUG, TRACE, FINE...) → DEBUG.
     */
    public static String severity(Level level) {
        int v = level == null ? Level.INFO.intValue() : level.intValue();
        if (v >= org.jboss.logmanager.Level.FATAL.intValue()) {
            return "CRITICAL";
        } else if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        } else if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }
}
