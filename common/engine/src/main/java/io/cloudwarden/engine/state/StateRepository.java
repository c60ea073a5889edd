package io.cloudwarden.engine.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ModelValidationException;
import io.cloudwarden.model.schema.SnapshotReader;
import io.cloudwarden.model.schema.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's view of a {@link StateStore}: snapshots with history, the latest findings, idempotency claims and
 * generic JSON documents, in the model's JSON. Layout:
 * <ul>
 *   <li>{@code snapshots/<takenAt>.json} (history; {@code takenAt} as {@code 2026-11-23T10-00-00.000000000Z}, a
 *       fixed-width, file-name-safe form whose lexical order is time order) and {@code snapshots/latest.json};</li>
 *   <li>{@code findings/latest.json}: {@code {"schema": "cloudwarden/findings/v1", "observedAt", "findings"}};</li>
 *   <li>{@code idempotency/<sha256(key)>.json}: the first claim of an idempotency key.</li>
 * </ul>
 * A stored object that does not parse is reported as a {@link StateStoreException} naming the key; it is never
 * overwritten by a read.
 */
public final class StateRepository {
    public static final String LATEST_SNAPSHOT = "snapshots/latest.json";
    public static final String LATEST_FINDINGS = "findings/latest.json";
    public static final String FINDINGS_SCHEMA = "cloudwarden/findings/v1";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final StateStore store;
    private final ObjectMapper mapper = ModelJson.mapper();

    public StateRepository(StateStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public StateStore store() {
        return store;
    }

    /** The history key of a snapshot taken at {@code takenAt}. */
    public static String snapshotKey(Instant takenAt) {
        return "snapshots/" + STAMP.format(takenAt) + ".json";
    }

    /** Writes the snapshot to its history key, then to {@code snapshots/latest.json}; returns the history key. */
    public String saveSnapshot(Snapshot snapshot) {
        byte[] bytes = SnapshotWriter.toBytes(snapshot);
        String key = snapshotKey(snapshot.takenAt());
        store.put(key, bytes, Precondition.NONE);
        store.put(LATEST_SNAPSHOT, bytes, Precondition.NONE);
        return key;
    }

    public Optional<Snapshot> latestSnapshot() {
        return store.get(LATEST_SNAPSHOT).map(this::readSnapshot);
    }

    /** The newest history snapshot taken before the latest one; empty with fewer than two scans. */
    public Optional<Snapshot> previousSnapshot() {
        Optional<Snapshot> latest = latestSnapshot();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        String latestKey = snapshotKey(latest.get().takenAt());
        List<String> history = store.list("snapshots/").stream()
                .filter(k -> !k.equals(LATEST_SNAPSHOT) && k.compareTo(latestKey) < 0)
                .toList();
        if (history.isEmpty()) {
            return Optional.empty();
        }
        String key = history.get(history.size() - 1);
        return store.get(key).map(this::readSnapshot);
    }

    /** Findings document as stored. */
    @JsonPropertyOrder({"schema", "observedAt", "findings"})
    public record FindingsDocument(String schema, Instant observedAt, List<Finding> findings) {
        public FindingsDocument {
            schema = schema == null ? FINDINGS_SCHEMA : schema;
            findings = findings == null ? List.of() : List.copyOf(findings);
        }
    }

    public String saveFindings(List<Finding> findings, Instant observedAt) {
        return putJson(LATEST_FINDINGS, new FindingsDocument(FINDINGS_SCHEMA, observedAt, findings), Precondition.NONE);
    }

    public Optional<FindingsDocument> latestFindings() {
        return getJson(LATEST_FINDINGS, FindingsDocument.class);
    }

    public <T> Optional<T> getJson(String key, Class<T> type) {
        return getJsonVersioned(key, type).map(Versioned::value);
    }

    public <T> Optional<Versioned<T>> getJsonVersioned(String key, Class<T> type) {
        return store.get(key).map(o -> new Versioned<>(decode(o, type), o.version()));
    }

    /** Serializes {@code value} with the model mapper and writes it under {@code precondition}; returns the version. */
    public String putJson(String key, Object value, Precondition precondition) {
        try {
            return store.put(key, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), precondition);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("cannot serialize " + key + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Records {@code idempotencyKey} once: true for the first claim, false when it was already claimed (the
     * original record is kept). The key is hashed so any string is a safe file name.
     */
    public boolean claimOnce(String idempotencyKey, JsonNode record) {
        String key = idempotencyPath(idempotencyKey);
        try {
            putJson(key, record, Precondition.IF_ABSENT);
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    /** True when {@code idempotencyKey} was already claimed. */
    public boolean isClaimed(String idempotencyKey) {
        return store.get(idempotencyPath(idempotencyKey)).isPresent();
    }

    private static String idempotencyPath(String idempotencyKey) {
        return "idempotency/" + Hashing.sha256Hex(idempotencyKey) + ".json";
    }

    private Snapshot readSnapshot(StoredObject o) {
        try {
            return SnapshotReader.read(new ByteArrayInputStream(o.data()), store.describe() + "/" + o.key());
        } catch (ModelValidationException e) {
            throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private <T> T decode(StoredObject o, Class<T> type) {
        try {
            T v = mapper.readValue(o.data(), type);
            if (v == null) {
                throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe()
                        + ": empty document");
            }
            return v;
        } catch (IOException | IllegalArgumentException e) {
            throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

}
