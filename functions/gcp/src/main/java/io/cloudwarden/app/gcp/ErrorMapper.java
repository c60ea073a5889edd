package io.cloudwarden.app.gcp;

import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.http.HttpResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Errors escaping a route: bad input → 400 naming the field, a cloud call → 502 naming the operation and its native
 * code, a configuration problem → 500 naming the key (never its value: it may be a secret), anything else → 500
 * with the exception type only. Non-2xx makes Eventarc, Pub/Sub and Cloud Scheduler retry. No stack traces leave.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            return w.getResponse();
        }
        if (e instanceof EventParseException) {
            return JaxRs.response(HttpResponse.error(400, e.getMessage()));
        }
        if (e instanceof ProviderException p) {
            LOG.warnf("gcp %s failed: %s (retryable=%s)", p.operation(), p.nativeCode(), p.retryable());
            return JaxRs.response(HttpResponse.error(502, "gcp " + p.operation() + " failed: " + p.nativeCode()));
        }
        if (e instanceof ConfigException c) {
            LOG.errorf("configuration error on %s", c.key());
            return JaxRs.response(HttpResponse.error(500, "configuration error: " + c.key()));
        }
        LOG.errorf("internal error (%s)", e.getClass().getName());
        return JaxRs.response(HttpResponse.error(500, "internal error (" + e.getClass().getSimpleName() + ")"));
    }
}
