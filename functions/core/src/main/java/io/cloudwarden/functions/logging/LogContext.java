package io.cloudwarden.functions.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * The structured fields of the log lines of one invocation: the platform's request id and the cloud, put in the
 * logging MDC for the invocation and removed after it (previous values restored). The function apps' JSON log
 * format (Quarkus' JSON formatter) writes them under {@code mdc}, the CLI's {@code --log-format json} at the top level
 * of each line. Names are the same everywhere:
 * <ul>
 *   <li>{@value #REQUEST_ID}: Lambda's {@code Context.getAwsRequestId()}, the Azure Functions host's invocation id
 *       ({@code x-azure-functions-invocationid}), the Cloud Run request's trace id;</li>
 *   <li>{@value #GCP_TRACE} (Cloud Run only): {@code projects/<project>/traces/<trace id>}, the form Cloud Logging
 *       joins log lines to a trace by;</li>
 *   <li>{@value #CLOUD}, {@value #TRIGGER}: which cloud's function, and what started the invocation.</li>
 * </ul>
 * Values are ids and names only, never payloads, so no secret reaches a log line through them.
 */
public final class LogContext implements AutoCloseable {
    public static final String REQUEST_ID = "requestId";
    public static final String CLOUD = "cloud";
    public static final String TRIGGER = "trigger";
    public static final String GCP_TRACE = "logging.googleapis.com/trace";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> fields) {
        fields.forEach((k, v) -> {
            previous.put(k, MDC.get(k));
            if (v == null || v.isEmpty()) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
    }

    /** Puts {@code fields} (null or empty values are left out) until {@link #close}. */
    public static LogContext of(Map<String, String> fields) {
        return new LogContext(fields);
    }

    /** One invocation of a function: {@code cloud} and the platform's {@code requestId}. */
    public static LogContext invocation(String cloud, String requestId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(CLOUD, cloud);
        f.put(REQUEST_ID, requestId);
        return of(f);
    }

    /**
     * The trace id of a Cloud Run request from its {@code traceparent} (W3C: {@code 00-<32 hex>-<16 hex>-<flags>})
     * or, when absent or malformed, {@code X-Cloud-Trace-Context} ({@code <32 hex>/<span>;o=1}); null when neither
     * carries one.
     */
    public static String traceId(String traceparent, String cloudTraceContext) {
        if (traceparent != null) {
            String[] parts = traceparent.trim().split("-");
            if (parts.length >= 4 && parts[1].matches("[0-9a-f]{32}") && !parts[1].matches("0{32}")) {
                return parts[1];
            }
        }
        if (cloudTraceContext != null) {
            String id = cloudTraceContext.trim();
            int slash = id.indexOf('/');
            id = slash >= 0 ? id.substring(0, slash) : id;
            int semi = id.indexOf(';');
            id = semi >= 0 ? id.substring(0, semi) : id;
            if (id.matches("[0-9a-fA-F]{32}")) {
                return id.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    /** A Cloud Run request: {@value #REQUEST_ID} is the trace id, {@value #GCP_TRACE} its Cloud Logging form. */
    public static LogContext cloudRun(String project, String traceId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(CLOUD, "gcp");
        f.put(REQUEST_ID, traceId);
        f.put(GCP_TRACE, traceId == null || project == null || project.isBlank() ? null
                : "projects/" + project + "/traces/" + traceId);
        return of(f);
    }

    @Override
    public void close() {
        previous.forEach((k, v) -> {
            if (v == null) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
    }

    @Override
    public String toString() {
        return Objects.toString(previous.keySet());
    }
}
