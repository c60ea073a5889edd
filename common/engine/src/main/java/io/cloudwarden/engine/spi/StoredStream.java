package io.cloudwarden.engine.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An object of a state store being read as a stream ({@link StateStore#open}): its bytes, and the version token of
 * exactly those bytes (the version a conditional write that replaces what was read passes to
 * {@link Precondition#ifMatch}). Close it (try-with-resources): it may hold a file or an HTTP connection.
 */
public final class StoredStream implements Closeable {
    private final String key;
    private final InputStream data;
    private final String version;

    public StoredStream(String key, InputStream data, String version) {
        this.key = Objects.requireNonNull(key, "key");
        this.data = Objects.requireNonNull(data, "data");
        this.version = Objects.requireNonNull(version, "version");
    }

    public String key() {
        return key;
    }

    /** The object's bytes, read once, from the start. */
    public InputStream data() {
        return data;
    }

    /** The version of the bytes {@link #data} gives, known when the stream is opened. */
    public String version() {
        return version;
    }

    @Override
    public void close() throws IOException {
        data.close();
    }
}
