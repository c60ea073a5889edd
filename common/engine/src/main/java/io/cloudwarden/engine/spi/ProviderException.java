package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;

/**
 * A failure talking to a cloud. Carries the cloud, the operation (e.g. {@code s3:GetBucketPolicy}), the native
 * error code when the cloud sent one (e.g. {@code AccessDenied}, {@code AuthorizationFailed}, {@code 403}) and
 * whether retrying later may help. Messages must never contain credentials or secrets.
 */
public class ProviderException extends RuntimeException {
    private final Cloud cloud;
    private final String operation;
    private final String nativeCode;
    private final boolean retryable;

    public ProviderException(Cloud cloud, String operation, String nativeCode, boolean retryable, String message,
            Throwable cause) {
        super(message, cause);
        this.cloud = cloud;
        this.operation = operation == null ? "" : operation;
        this.nativeCode = nativeCode == null ? "" : nativeCode;
        this.retryable = retryable;
    }

    public ProviderException(Cloud cloud, String operation, String nativeCode, boolean retryable, String message) {
        this(cloud, operation, nativeCode, retryable, message, null);
    }

    public Cloud cloud() { return cloud; }
    public String operation() { return operation; }
    public String nativeCode() { return nativeCode; }
    public boolean retryable() { return retryable; }
}
