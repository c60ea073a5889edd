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
 * Grid redelivers. The log gets the exception's type and where it was thrown, never its message: messages of
 * unexpected failures may quote connection strings or keys (as the GCP app's {@code ErrorMapper}, which logs the type
 * only). JAX-RS's own answers (404, 405, 415) pass through unchanged.
 */
@Provider
public class UnexpectedFailureMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof WebApplicationException wae) {
            return wae.getResponse();
        }
        StackTraceElement[] at = e.getStackTrace();
        LOG.errorf("invocation failed: %s at %s", e.getClass().getName(), at.length == 0 ? "?" : at[0]);
        return InvocationResult.failed(500, List.of("internal error (" + e.getClass().getSimpleName() + ")"));
    }
}
