package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a remediator would change, computed purely from the current resource. {@code before}/{@code after} hold the
 * attribute values (by attribute name, same shape as {@code resource.attributes}) that change; after apply, a re-read
 * resource's attributes must contain {@code after}. {@code params} carries what apply needs (e.g. the rule ids to
 * revoke).
 */
public record PlannedChange(String summary, ObjectNode before, ObjectNode after, JsonNode params) {
    public PlannedChange {
        before = before == null ? JsonNodeFactory.instance.objectNode() : before;
        after = after == null ? JsonNodeFactory.instance.objectNode() : after;
        params = params == null ? JsonNodeFactory.instance.objectNode() : params;
    }
}
