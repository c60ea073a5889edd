package io.cloudwarden.app.azure;

/** An invocation the Functions host should never send: names the field and what was expected. */
public class InvalidInvocationException extends RuntimeException {
    public InvalidInvocationException(String message) {
        super(message);
    }
}
