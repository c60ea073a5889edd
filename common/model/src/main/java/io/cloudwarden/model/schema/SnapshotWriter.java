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
 * one byte array.
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
