package io.cloudwarden.app.azure;

import io.cloudwarden.functions.logging.LogContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The log context of one custom-handler invocation: {@code requestId} = the Functions host's invocation id, which it
 * sends to the custom handler in the {@value #INVOCATION_ID} header (the id Application Insights and the host's own
 * log lines carry). Set for the request, removed when its response is written.
 */
public class InvocationLogFilter {
    public static final String INVOCATION_ID = "x-azure-functions-invocationid";
    private static final String PROPERTY = LogContext.class.getName();

    @ServerRequestFilter
    public void open(ContainerRequestContext request) {
        request.setProperty(PROPERTY, LogContext.invocation("azure", request.getHeaderString(INVOCATION_ID)));
    }

    @ServerResponseFilter
    public void close(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(PROPERTY) instanceof LogContext log) {
            log.close();
        }
    }
}
