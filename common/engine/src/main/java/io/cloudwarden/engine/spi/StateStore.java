package io.cloudwarden.engine.spi;

import java.util.List;
import java.util.Optional;

/**
 * An object store with conditional writes: the file system locally, S3 / Blob / GCS in the clouds. Snapshots,
 * findings, plans, idempotency records and the audit chain are built on it by the engine. Keys are
 * {@code /}-separated relative paths ({@code snapshots/latest.json}, {@code audit.jsonl}).
 */
public interface StateStore {
    Optional<StoredObject> get(String key);

    /**
     * Writes {@code data} at {@code key} atomically (a reader sees the old or the new bytes, never a mix) if the
     * precondition holds, and returns the new version token.
     *
     * @throws PreconditionFailedException when the precondition does not hold
     */
    String put(String key, byte[] data, Precondition precondition);

    /** Keys under {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** A short description for messages ({@code file:/home/me/.cloudwarden}, {@code s3://bucket/prefix}). */
    String describe();
}
