package io.cloudwarden.engine.spi;

/** A conditional write lost a race: the object exists (IF_ABSENT) or changed since it was read (IF_MATCH). */
public class PreconditionFailedException extends RuntimeException {
    public PreconditionFailedException(String key, String message) {
        super(key + ": " + message);
    }
}
