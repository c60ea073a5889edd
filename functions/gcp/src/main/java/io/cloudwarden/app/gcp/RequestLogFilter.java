package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.logging.LogContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The log context of one Cloud Run request: {@code requestId} = the request's trace id (W3C {@code traceparent},
 * else {@code X-Cloud-Trace-Context}, both set by Cloud Run's front end) and {@code logging.googleapis.com/trace} =
 * {@code projects/<project>/traces/<trace id>} when the project is known ({@value #PROJECT}, default
 * {@code $GOOGLE_CLOUD_PROJECT}). Set for the request, removed when its response is written.
 */
public class RequestLogFilter {
    public static final String PROJECT = "cloudwarden.gcp.trace-project";
    private static final String PROPERTY = LogContext.class.getName();

    @ConfigProperty(name = PROJECT, defaultValue = " ")
    String project;

    @ServerRequestFilter
    public void open(ContainerRequestContext request) {
        String traceId = LogContext.traceId(request.getHeaderString("traceparent"),
                request.getHeaderString("X-Cloud-Trace-Context"));
        request.setProperty(PROPERTY, LogContext.cloudRun(project == null ? null : project.trim(), traceId));
    }

    @ServerResponseFilter
    public void close(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(PROPERTY) instanceof LogContext log) {
            log.close();
        }
    }
}
