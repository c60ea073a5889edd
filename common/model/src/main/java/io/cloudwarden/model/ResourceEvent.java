package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A change to one resource, parsed from a cloud trigger (CloudTrail, Event Grid, Cloud Audit Log). The JSON is what
 * {@code cloudwarden event --parse-only} prints. {@code deleted} is true when the event removed the resource.
 */
@JsonPropertyOrder({"cloud", "account", "region", "type", "id", "actor", "action", "eventId", "time", "deleted"})
public record ResourceEvent(
        Cloud cloud,
        String account,
        String region,
        String type,
        String id,
        Actor actor,
        String action,
        String eventId,
        Instant time,
        boolean deleted) {
    public ResourceEvent {
        java.util.Objects.requireNonNull(cloud, "cloud");
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(id, "id");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        actor = actor == null ? Actor.UNKNOWN : actor;
        action = action == null ? "" : action;
        eventId = eventId == null ? "" : eventId;
        time = time == null ? Instant.EPOCH : time;
    }

    public ResourceRef ref() {
        return new ResourceRef(cloud, account, region, type, id);
    }
}
