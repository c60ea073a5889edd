package io.cloudwarden.engine.remediation.rollout;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rollouts under {@code rollouts/<id>.json} in the {@link StateStore} (beside {@code plans/}); every write is a
 * compare-and-swap against the version read, so two processes cannot both run the same rollout's next wave.
 */
public final class RolloutStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private final StateStore store;

    public RolloutStore(StateStore store) {
        this.store = store;
    }

    /** A stored record and the version it was read at. */
    public record Versioned(RolloutRecord record, String version) {
    }

    public Optional<Versioned> find(String id) {
        return store.get(key(id)).map(o -> new Versioned(decode(id, o), o.version()));
    }

    /** Writes {@code record} if the stored version is still {@code expected} (null: must not exist yet). */
    public String write(RolloutRecord record, String expected) {
        try {
            return store.put(key(record.id()), ModelJson.mapper().writeValueAsBytes(record),
                    expected == null ? Precondition.IF_ABSENT : Precondition.ifMatch(expected));
        } catch (PreconditionFailedException e) {
            throw new StateStoreException("rollout " + record.id() + " was changed by another process; not continued");
        } catch (IOException e) {
            throw new StateStoreException("rollout " + record.id() + ": cannot encode: " + e.getMessage());
        }
    }

    private static String key(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rollout id: expected letters, digits, '-' or '_' but was '" + id + "'");
        }
        return "rollouts/" + id + ".json";
    }

    private static RolloutRecord decode(String id, StoredObject o) {
        try {
            return ModelJson.mapper().readValue(o.data(), RolloutRecord.class);
        } catch (IOException e) {
            throw new StateStoreException("rollouts/" + id + ".json: not a rollout record: " + e.getMessage());
        }
    }
}
