package io.cloudwarden.app.azure;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Anything a handler did not expect (a state store outage, a bug) fails the invocation with a custom-handler answer
 * the host understands — 500, {@code Logs: ["internal error (<type>)"]} — so queue messages are retried and Event
 * Grid redelivers; the details go to this process's log only, never to the caller. JAX-RS's own answers (404, 405,
 * 415) pass through unchanged.
 */
@Provider
public class UnexpectedFailureMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof WebApplicationException wae) {
            return wae.getResponse();
        }
        LOG.errorf(e, "invocation failed: %s", e.getClass().getName());
        return InvocationResult.failed(500, List.of("internal error (" + e.getClass().getSimpleName() + ")"));
    }
}
