package io.cloudwarden.provider.gcp.state;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.engine.state.SpooledContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * State in a GCS bucket under a prefix ({@code gs://bucket/prefix}). The version token is the object generation:
 * reads pin the generation they saw; IF_ABSENT writes send {@code ifGenerationMatch=0}, IF_MATCH writes
 * {@code ifGenerationMatch=GEN}; GCS answers 412 when the condition fails, surfaced as
 * {@link PreconditionFailedException}. Single-request uploads replace an object atomically.
 *
 * <p>Streamed reads ({@link #open}) read the generation the metadata request saw through a reader pinned to it, so
 * the bytes are that generation's (a read of a generation replaced meanwhile fails rather than mixing). Streamed
 * writes ({@link #putStream}) are spooled to a temp file and uploaded by {@code Storage.createFrom} with the same
 * generation conditions as {@link #put} ({@link SpooledContent} says why a file).
 */
public final class GcsStateStore implements StateStore {
    private final Storage storage;
    private final String bucket;
    private final String prefix;

    public GcsStateStore(Storage storage, String bucket, String prefix) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("state location: expected gs://BUCKET[/prefix] with a bucket name");
        }
        this.storage = storage;
        this.bucket = bucket;
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
    }

    private String object(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("state key: expected a relative /-separated path but was '" + key + "'");
        }
        return prefix + key;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return read(key, (id, generation) -> new StoredObject(key, storage.readAllBytes(id), generation));
    }

    @Override
    public Optional<StoredStream> open(String key) {
        return read(key, (id, generation) -> new StoredStream(key,
                java.nio.channels.Channels.newInputStream(storage.reader(id)), generation));
    }

    /**
     * Reads {@code key} pinned to the generation its metadata names ({@code request} gets that generation's blob id and
     * the generation as the version): an absent object (or a 404) is empty, any other failure a
     * {@link StateStoreException}.
     */
    private <T> Optional<T> read(String key, java.util.function.BiFunction<BlobId, String, T> request) {
        String name = object(key);
        try {
            Blob blob = storage.get(BlobId.of(bucket, name));
            if (blob == null) {
                return Optional.empty();
            }
            long generation = blob.getGeneration();
            return Optional.of(request.apply(BlobId.of(bucket, name, generation), Long.toString(generation)));
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException("cannot read " + describe() + "/" + key + ": HTTP " + e.getCode() + " "
                    + e.getReason(), e);
        }
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        String name = object(key);
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, name)).setContentType(contentType(key)).build();
        Storage.BlobTargetOption[] options = switch (precondition.kind()) {
            case NONE -> new Storage.BlobTargetOption[0];
            case IF_ABSENT -> new Storage.BlobTargetOption[] {Storage.BlobTargetOption.doesNotExist()};
            case IF_MATCH -> new Storage.BlobTargetOption[] {
                    Storage.BlobTargetOption.generationMatch(parseGeneration(precondition.version()))};
        };
        return write(key, precondition, () -> storage.create(info, data, options));
    }

    @Override
    public String putStream(String key, Content content, Precondition precondition) {
        String name = object(key);
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, name)).setContentType(contentType(key)).build();
        Storage.BlobWriteOption[] options = switch (precondition.kind()) {
            case NONE -> new Storage.BlobWriteOption[0];
            case IF_ABSENT -> new Storage.BlobWriteOption[] {Storage.BlobWriteOption.doesNotExist()};
            case IF_MATCH -> new Storage.BlobWriteOption[] {
                    Storage.BlobWriteOption.generationMatch(parseGeneration(precondition.version()))};
        };
        try (SpooledContent spooled = SpooledContent.spool(this, key, content)) {
            return write(key, precondition, () -> {
                try {
                    return storage.createFrom(info, spooled.file(), options);
                } catch (java.io.IOException e) {
                    throw new StateStoreException("cannot write " + describe() + "/" + key + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private String write(String key, Precondition precondition, java.util.function.Supplier<Blob> request) {
        try {
            Blob written = request.get();
            return Long.toString(written.getGeneration());
        } catch (StorageException e) {
            if (e.getCode() == 412) {
                throw new PreconditionFailedException(key, precondition.kind() == Precondition.Kind.IF_ABSENT
                        ? "already exists in " + describe()
                        : "changed since generation " + precondition.version() + " in " + describe());
            }
            throw new StateStoreException("cannot write " + describe() + "/" + key + ": HTTP " + e.getCode() + " "
                    + e.getReason(), e);
        }
    }

    private static long parseGeneration(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("precondition.version: expected a GCS generation number but was '"
                    + version + "'");
        }
    }

    private static String contentType(String key) {
        return key.endsWith(".json") ? "application/json" : key.endsWith(".jsonl") ? "application/x-ndjson"
                : "application/octet-stream";
    }

    @Override
    public void delete(String key) {
        String name = object(key);
        try {
            storage.delete(BlobId.of(bucket, name));
        } catch (StorageException e) {
            if (e.getCode() != 404) {
                throw new StateStoreException("cannot delete " + describe() + "/" + key + ": HTTP " + e.getCode() + " "
                        + e.getReason(), e);
            }
        }
    }

    /** The object's metadata only: its generation without the bytes. */
    @Override
    public Optional<String> version(String key) {
        String name = object(key);
        try {
            Blob blob = storage.get(BlobId.of(bucket, name));
            return blob == null ? Optional.empty() : Optional.of(Long.toString(blob.getGeneration()));
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException("cannot read " + describe() + "/" + key + ": HTTP " + e.getCode() + " "
                    + e.getReason(), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        List<String> keys = new ArrayList<>();
        try {
            Page<Blob> page = storage.list(bucket, Storage.BlobListOption.prefix(prefix + keyPrefix));
            for (Blob b : page.iterateAll()) {
                keys.add(b.getName().substring(prefix.length()));
            }
        } catch (StorageException e) {
            throw new StateStoreException("cannot list " + describe() + "/" + keyPrefix + ": HTTP " + e.getCode()
                    + " " + e.getReason(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }
}
