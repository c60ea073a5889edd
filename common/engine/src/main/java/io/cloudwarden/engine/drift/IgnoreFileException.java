package io.cloudwarden.engine.drift;

/** A {@code .cloudwardenignore} file could not be read or has a line that is not a valid entry. */
public class IgnoreFileException extends RuntimeException {
    public IgnoreFileException(String message) {
        super(message);
    }

    public IgnoreFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
