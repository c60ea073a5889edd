package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.logging.LogContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The log context of one Cloud Run request: {@code requestId} = the request's trace id (W3C {@code traceparent},
 * else {@code X-Cloud-Trace-Context}, both set by Cloud Run's front end), {@code logging.googleapis.com/trace} =
 * {@code projects/<project>/traces/<trace id>} when the project is known ({@value #PROJECT}, default
 * {@code $GOOGLE_CLOUD_PROJECT}) and {@value CloudLoggingFormatter#SPAN_ID} = the caller's span (16 hex digits: the
 * {@code traceparent}'s parent id, or {@code X-Cloud-Trace-Context}'s decimal span id in hex). Set for the request,
 * removed when its response is written.
 */
public class RequestLogFilter {
    public static final String PROJECT = "cloudwarden.gcp.trace-project";
    private static final String PROPERTY = LogContext.class.getName();
    private static final String SPAN_PROPERTY = PROPERTY + ".span";
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}.*");
    private static final Pattern CLOUD_TRACE = Pattern.compile("([0-9a-fA-F]{32})/(\\d{1,20})(;.*)?");

    @ConfigProperty(name = PROJECT, defaultValue = " ")
    String project;

    @ServerRequestFilter
    public void open(ContainerRequestContext request) {
        String traceparent = request.getHeaderString("traceparent");
        String cloudTrace = request.getHeaderString("X-Cloud-Trace-Context");
        String traceId = LogContext.traceId(traceparent, cloudTrace);
        String project = this.project == null || this.project.isBlank() ? null : this.project.trim();
        request.setProperty(PROPERTY, LogContext.cloudRun(project, traceId));
        if (project != null && traceId != null) {
            String span = spanId(traceparent, cloudTrace);
            request.setProperty(SPAN_PROPERTY, LogContext.of(Map.of(CloudLoggingFormatter.SPAN_ID,
                    span == null ? "" : span)));
        }
    }

    @ServerResponseFilter
    public void close(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(SPAN_PROPERTY) instanceof LogContext span) {
            span.close();
        }
        if (request.getProperty(PROPERTY) instanceof LogContext log) {
            log.close();
        }
    }

    /**
     * The caller's span id as Cloud Logging writes it (16 hex digits) from the header the trace id was taken from
     * ({@link LogContext#traceId}): the {@code traceparent}'s parent id, else {@code X-Cloud-Trace-Context}'s
     * decimal span id; null when neither carries a valid one.
     */
    static String spanId(String traceparent, String cloudTrace) {
        if (traceparent != null) {
            Matcher m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches() && !m.group(1).matches("0{32}")) {
                return m.group(2).matches("0{16}") ? null : m.group(2);
            }
        }
        if (cloudTrace != null) {
            Matcher m = CLOUD_TRACE.matcher(cloudTrace.trim());
            if (m.matches()) {
                try {
                    long span = Long.parseUnsignedLong(m.group(2));
                    return span == 0 ? null : String.format(Locale.ROOT, "%016x", span);
                } catch (NumberFormatException tooLarge) {
                    return null;
                }
            }
        }
        return null;
    }
}
