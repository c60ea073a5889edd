package io.cloudwarden.engine.state;

import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a streamed write ({@link StateStore#putStream}) spooled to a temp file, for the object stores (S3,
 * Blob Storage, GCS): their upload requests need the length up front and re-send the body on a retry, which a file
 * allows without holding the object as one array (the finding history is ≈ 42 MB at 10,000 buckets). Decision: a
 * file rather than the SDKs' chunked or multipart uploads, which would change how a conditional write is made (S3's
 * If-Match on a multipart upload is checked on completion only; a GCS resumable session or staged Blob blocks are
 * other request kinds with other failure modes) for no gain in memory. The temp file is deleted on {@link #close}.
 * In a function the temp directory is the platform's (Lambda's ephemeral storage, Azure Functions' local disk; on
 * Cloud Run functions it is memory-backed, so there the spool costs the bytes once, as the array did).
 */
public final class SpooledContent implements AutoCloseable {
    private final Path file;
    private final long length;

    private SpooledContent(Path file, long length) {
        this.file = file;
        this.length = length;
    }

    /**
     * Runs {@code content} into a new temp file. An {@link IOException} (of the writer or the disk) becomes a
     * {@link StateStoreException} naming {@code store} and {@code key}; the temp file is gone whatever fails.
     */
    public static SpooledContent spool(StateStore store, String key, StateStore.Content content) {
        Path file = null;
        boolean done = false;
        try {
            file = Files.createTempFile("cloudwarden-state-", ".spool");
            try (OutputStream raw = Files.newOutputStream(file);
                 OutputStream out = new BufferedOutputStream(raw, 64 * 1024)) {
                content.writeTo(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the spool closes its own file
                    }
                });
            }
            SpooledContent spooled = new SpooledContent(file, Files.size(file));
            done = true;
            return spooled;
        } catch (IOException e) {
            throw new StateStoreException(store.describe() + ": cannot write " + key + ": " + e.getMessage(), e);
        } finally {
            if (!done && file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file the platform cleans up
                }
            }
        }
    }

    public Path file() {
        return file;
    }

    public long length() {
        return length;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file the platform cleans up
        }
    }
}
