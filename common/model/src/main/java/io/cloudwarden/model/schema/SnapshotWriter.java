package io.cloudwarden.model.schema;

import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes snapshots as pretty-printed JSON in the model's one Jackson configuration ({@link ModelJson}). */
public final class SnapshotWriter {
    private SnapshotWriter() {
    }

    public static byte[] toBytes(Snapshot snapshot) {
        try {
            return ModelJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize snapshot", e);
        }
    }

    public static void write(Snapshot snapshot, OutputStream out) throws IOException {
        out.write(toBytes(snapshot));
    }

    public static void write(Snapshot snapshot, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, toBytes(snapshot));
    }
}
