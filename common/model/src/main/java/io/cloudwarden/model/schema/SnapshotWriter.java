package io.cloudwarden.model.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes snapshots as pretty-printed JSON in the model's one Jackson configuration ({@link ModelJson}). Files and
 * streams are written by Jackson's generator as it walks the records, so a large snapshot is never also held as
 * one byte array. The state store keeps them without indentation ({@link #toCompactBytes}).
 */
public final class SnapshotWriter {
    private SnapshotWriter() {
    }

    public static byte[] toBytes(Snapshot snapshot) {
        try {
            return ModelJson.pretty().writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize snapshot", e);
        }
    }

    /**
     * The state store's copy of a snapshot: the same JSON as {@link #toBytes} without the indentation. Stored
     * snapshots are read by programs (every reader parses either layout); the bytes the scan builds, hashes and
     * writes are ~40 % fewer (a 10,000-bucket snapshot: 10.9 MB instead of 18.6 MB), which is what bounds the
     * scan's peak memory at its end (docs/PERFORMANCE.md, "10,000 buckets: peak RSS").
     */
    public static byte[] toCompactBytes(Snapshot snapshot) {
        try {
            return ModelJson.mapper().writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize snapshot", e);
        }
    }

    /**
     * Streams the state store's copy of the snapshot ({@link #toCompactBytes}'s bytes) to {@code out}; {@code out}
     * stays open.
     */
    public static void writeCompact(Snapshot snapshot, OutputStream out) throws IOException {
        ModelJson.mapper().writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, snapshot);
    }

    /** Streams the snapshot's JSON to {@code out} (the same bytes as {@link #toBytes}); {@code out} stays open. */
    public static void write(Snapshot snapshot, OutputStream out) throws IOException {
        ModelJson.pretty()
                .writeValue(out, snapshot);
    }

    /** Streams the snapshot to {@code file} without building its bytes in memory first. */
    public static void write(Snapshot snapshot, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(snapshot, out);
        }
    }
}
