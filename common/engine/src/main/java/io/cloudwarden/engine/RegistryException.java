package io.cloudwarden.engine;

/** A provider registration that cannot be accepted (duplicate cloud, duplicate type or action, unknown type). */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }
}
