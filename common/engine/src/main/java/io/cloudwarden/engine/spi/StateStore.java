package io.cloudwarden.engine.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
     * What a streamed write ({@link #putStream}) stores: a writer of the object's bytes. A store calls it at most once
     * per {@link #putStream} (it may read a stream that cannot be read twice: the finding history's fold reads the
     * stored document while it writes the new one), so a store that retries its request keeps the bytes itself (the
     * object stores spool them to a file). Closing {@code out} is harmless (it only flushes); it must not write to the
     * same store.
     */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Opens the object at {@code key} as a stream, for objects too large to hold as one array (the finding history:
     * ≈ 42 MB at 10,000 buckets). The stream's {@link StoredStream#version} is the version of exactly the bytes it
     * gives, as {@link #get}'s: a write that replaces the object while it is read does not mix into them, and an
     * IF_MATCH on that version fails once the object was replaced. The caller closes it.
     *
     * <p>The default reads the object with {@link #get} (one array): wrappers keep working. The stores of the project
     * stream it (FileSystemStateStore, S3, Blob Storage, GCS).
     */
    default Optional<StoredStream> open(String key) {
        return get(key).map(o -> new StoredStream(key, new ByteArrayInputStream(o.data()), o.version()));
    }

    /**
     * Writes what {@code content} writes at {@code key}, as {@link #put} writes an array: atomically (a reader sees
     * the old or the new bytes, never a mix, also when {@code content} fails part-way: then nothing is written and
     * its exception is thrown, an {@link IOException} as a {@link StateStoreException}) if the precondition holds,
     * and returns the new version token. For objects too large to hold as one array (the finding history, the
     * snapshot, the findings). The precondition must hold when the bytes replace the object; a store may also check it
     * before running {@code content} (the directory store does, under its lock).
     *
     * <p>The default collects the bytes and calls {@link #put}: wrappers keep working. The directory store writes
     * them straight into its temp file; the object stores spool them to a temp file and upload it (their requests
     * need the length first).
     *
     * @throws PreconditionFailedException when the precondition does not hold
     */
    default String putStream(String key, Content content, Precondition precondition) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot write " + key + ": " + e.getMessage(), e);
        }
        return put(key, out.toByteArray(), precondition);
    }

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

    /**
     * Runs {@code work} as one <em>write group</em> of the calling thread: the writes it makes through this store are
     * made durable together when it ends (also when it throws: what was written stays written, as without a group),
     * instead of one after another. The event path groups an event's update, plan, audit append and idempotency claim
     * (docs/MODEL.md "Write groups"). Inside the group the calling thread reads its own writes ({@link #get},
     * {@link #version}, {@link #list}); preconditions are checked when each {@link #put} is made, and hold until the
     * group ends; the writes become visible to other readers at the end, in the order they were made, each whole.
     * Nested calls join the outer group. Code that is about to act outside the process on what it wrote (apply a
     * change to the cloud) calls {@link #sync} first.
     *
     * <p>The default runs {@code work} with every write made (and durable) when its {@link #put} returns, in order:
     * that is what the object stores (S3, Blob Storage, GCS) do, where each write is one durable request and there
     * is no cheaper way to make several durable. The file system store defers the writes to the group's end and
     * fsyncs them concurrently, so the file system's journal commits them together (FileSystemStateStore).
     */
    default <T> T group(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /**
     * Makes the writes of the calling thread's open {@link #group} durable now and lets other writers in; the group
     * stays open for what follows. Nothing to do outside a group, and for stores whose writes are durable when
     * {@link #put} returns (the default).
     */
    default void sync() {
    }

    /** Keys under {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** A short description for messages ({@code file:/home/me/.cloudwarden}, {@code s3://bucket/prefix}). */
    String describe();
}
