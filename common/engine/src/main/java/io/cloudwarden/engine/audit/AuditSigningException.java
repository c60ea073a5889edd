package io.cloudwarden.engine.audit;

/** A digest could not be signed, or a verification key could not be read: the message names the key and why. */
public class AuditSigningException extends RuntimeException {
    public AuditSigningException(String message) {
        super(message);
    }

    public AuditSigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
