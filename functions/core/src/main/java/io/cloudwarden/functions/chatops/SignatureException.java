package io.cloudwarden.functions.chatops;

/**
 * A chat request that failed authentication (answered 401). The message says what was wrong — missing header,
 * stale timestamp, mismatch, replay — and never contains the secret, the expected or the presented signature.
 */
public final class SignatureException extends RuntimeException {
    public SignatureException(String message) {
        super(message);
    }
}
