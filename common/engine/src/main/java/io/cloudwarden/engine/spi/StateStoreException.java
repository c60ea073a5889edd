package io.cloudwarden.engine.spi;

/** The state store could not be read or written (I/O, permissions, a corrupt object). */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateStoreException(String message) {
        super(message);
    }
}
