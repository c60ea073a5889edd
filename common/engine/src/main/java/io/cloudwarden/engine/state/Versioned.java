package io.cloudwarden.engine.state;

/** A value read from the state store with the version token to pass to {@code Precondition.ifMatch}. */
public record Versioned<T>(T value, String version) {
}
