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

    /**
     * Deletes the object at {@code key}; deleting a key that does not exist is not an error (retention and
     * compaction may race another instance doing the same clean-up). Every store of the project implements it; the
     * default, for wrappers written before deletion existed, refuses with a {@link StateStoreException}.
     */
    default void delete(String key) {
        throw new StateStoreException(describe() + ": cannot delete " + key + ": this store does not support deleting");
    }

    /**
     * The current version token of {@code key} without its bytes (a HEAD request, a file's stamp), so a reader can
     * reuse a copy it already parsed. The default reads the object.
     */
    default Optional<String> version(String key) {
        return get(key).map(StoredObject::version);
    }

    /** Keys under {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** A short description for messages ({@code file:/home/me/.cloudwarden}, {@code s3://bucket/prefix}). */
    String describe();
}
