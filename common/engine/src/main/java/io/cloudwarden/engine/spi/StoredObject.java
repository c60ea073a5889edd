package io.cloudwarden.engine.spi;

/** Bytes read from a state store, with the version token (ETag, generation, file stamp) for conditional writes. */
public record StoredObject(String key, byte[] data, String version) {
}
