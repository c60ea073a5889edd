package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;

/**
 * A planned remediation of one resource. {@code before} and {@code after} are the attribute values the action
 * changes (before-state is what a revert restores); {@code params} is what the remediator needs to apply it.
 * {@code key} makes the plan idempotent: same finding + same triggering event = same key.
 */
@JsonPropertyOrder({"id", "key", "action", "risk", "mode", "resource", "findingId", "summary", "before", "after",
        "params", "requestedBy", "createdAt", "expiresAt"})
public record RemediationPlan(
        String id,
        String key,
        String action,
        Risk risk,
        RemediationRef.Mode mode,
        ResourceRef resource,
        String findingId,
        String summary,
        JsonNode before,
        JsonNode after,
        JsonNode params,
        Actor requestedBy,
        Instant createdAt,
        Instant expiresAt) {

    public enum Risk {
        LOW, MEDIUM, HIGH;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RemediationPlan {
        findingId = findingId == null ? "" : findingId;
        summary = summary == null ? "" : summary;
        before = before == null ? JsonNodeFactory.instance.objectNode() : before.deepCopy();
        after = after == null ? JsonNodeFactory.instance.objectNode() : after.deepCopy();
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        requestedBy = requestedBy == null ? Actor.SYSTEM : requestedBy;
    }
}
