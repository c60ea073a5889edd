package io.cloudwarden.engine.drift;

/**
 * A baseline (Terraform state or approved snapshot) cannot be used: unreadable, malformed, or of an unsupported
 * format. The message names the file, the field or line, and what was expected.
 */
public class BaselineException extends RuntimeException {
    public BaselineException(String message) {
        super(message);
    }

    public BaselineException(String message, Throwable cause) {
        super(message, cause);
    }
}
