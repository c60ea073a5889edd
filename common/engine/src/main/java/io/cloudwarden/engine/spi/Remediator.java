package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One remediation action on one normalized type of one cloud: plan (pure) → apply → verify (on a re-read).
 * Must be idempotent: applying a plan whose change is already in place is a no-op.
 */
public interface Remediator {
    /** e.g. {@code storage.bucket/block-public-access}. Unique per cloud. */
    String actionId();

    /** The normalized type this acts on. */
    String appliesTo();

    /** The exact write permissions (IAM actions, Azure operations, GCP permissions) apply needs. */
    List<String> permissions();

    RemediationPlan.Risk risk();

    String description();

    /** Pure: what would change; empty when the resource already complies (nothing to do). */
    Optional<PlannedChange> plan(Resource current);

    /** Performs the plan's change. Must be safe to call twice. */
    void apply(ProviderSession session, RemediationPlan plan);

    /**
     * True when the change removes the resource itself (an Entra application credential is removed, there is no
     * "deactivated" state): a re-read that finds nothing then verifies the change, while a re-read that still finds
     * the resource is checked with {@link #verify}. Default false: a resource that vanished after apply fails
     * verification.
     */
    default boolean removesResource() {
        return false;
    }

    /**
     * Checks a re-read resource against the plan. Default: every attribute in {@code plan.after()} has that value
     * in the re-read resource's attributes.
     */
    default boolean verify(Resource reread, RemediationPlan plan) {
        JsonNode attrs = reread.attributes();
        Iterator<Map.Entry<String, JsonNode>> it = plan.after().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().equals(attrs.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
