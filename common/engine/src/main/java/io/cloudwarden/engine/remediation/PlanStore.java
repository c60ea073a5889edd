package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Plans under {@code plans/<id>.json} in a {@link StateStore}; updates are compare-and-swap so no decision is lost. */
public final class PlanStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private final StateStore store;

    public PlanStore(StateStore store) {
        this.store = store;
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public Optional<PlanRecord> find(String planId) {
        if (!validId(planId)) {
            return Optional.empty();
        }
        return store.get(key(planId)).map(o -> decode(o));
    }

    /** Stores a new plan; returns false when a plan with that id already exists (idempotent creation). */
    public boolean create(PlanRecord record) {
        try {
            store.put(key(record.plan().id()), encode(record), Precondition.IF_ABSENT);
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    /** Applies {@code change} to the stored record with a CAS loop; returns the stored result. */
    public PlanRecord update(String planId, UnaryOperator<PlanRecord> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            StoredObject current = store.get(key(planId))
                    .orElseThrow(() -> new StateStoreException("plan " + planId + " not found"));
            PlanRecord next = change.apply(decode(current));
            try {
                store.put(key(planId), encode(next), Precondition.ifMatch(current.version()));
                return next;
            } catch (PreconditionFailedException e) {
                // another writer got there first: re-read and re-apply
            }
        }
        throw new StateStoreException("plan " + planId + ": too much contention updating it");
    }

    public List<PlanRecord> list() {
        List<PlanRecord> out = new ArrayList<>();
        for (String k : store.list("plans/")) {
            store.get(k).ifPresent(o -> out.add(decode(o)));
        }
        return out;
    }

    private static String key(String planId) {
        if (!validId(planId)) {
            throw new IllegalArgumentException("plan id: expected letters, digits, '-' or '_' but was '" + planId
                    + "'");
        }
        return "plans/" + planId + ".json";
    }

    private static byte[] encode(PlanRecord r) {
        try {
            return ModelJson.pretty().writeValueAsBytes(r);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("cannot encode plan " + r.plan().id(), e);
        }
    }

    private static PlanRecord decode(StoredObject o) {
        try {
            return ModelJson.mapper().readValue(o.data(), PlanRecord.class);
        } catch (IOException e) {
            throw new StateStoreException(o.key() + ": stored plan is not valid JSON: " + e.getMessage(), e);
        }
    }
}
