package io.cloudwarden.provider.azure.session;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;

/**
 * A Microsoft Graph call that failed. The native code is Graph's {@code error.code} (e.g.
 * {@code Authorization_RequestDenied}); the HTTP status is kept so callers can tell "not permitted / not licensed"
 * (401, 403) apart from other failures where a read is optional.
 */
public final class GraphException extends ProviderException {
    private final int status;

    public GraphException(String operation, String nativeCode, int status, boolean retryable, String message,
            Throwable cause) {
        super(Cloud.AZURE, operation, nativeCode, retryable, message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the request never got a response or the body was unusable. */
    public int status() {
        return status;
    }

    /** The caller lacks the permission (or the tenant the licence) for this read. */
    public boolean denied() {
        return status == 401 || status == 403;
    }
}
