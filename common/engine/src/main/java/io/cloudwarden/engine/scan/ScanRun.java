package io.cloudwarden.engine.scan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ScanError;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A fanned-out scan as planned: every shard queued for collection, when the run was planned (the snapshot's
 * {@code takenAt}), the deadline after which the merge no longer waits for missing shards, the scope and trigger the
 * merge evaluates with, and the errors found while planning (a cloud whose session could not be opened). Stored as
 * {@code runs/<id>.json} ({@link ScanRuns}).
 */
@JsonPropertyOrder({"schema", "id", "trigger", "actor", "createdAt", "deadline", "clouds", "types", "shards",
        "planErrors"})
public record ScanRun(String schema, String id, String trigger, Actor actor, Instant createdAt, Instant deadline,
        List<Cloud> clouds, Set<String> types, List<Shard> shards, List<ScanError> planErrors) {
    public static final String SCHEMA = "cloudwarden/scan-run/v1";

    public ScanRun {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deadline, "deadline");
        trigger = trigger == null ? "" : trigger;
        actor = actor == null ? Actor.SYSTEM : actor;
        clouds = clouds == null ? List.of() : List.copyOf(clouds);
        types = types == null ? Set.of() : Set.copyOf(types);
        shards = shards == null ? List.of() : List.copyOf(shards);
        planErrors = planErrors == null ? List.of() : List.copyOf(planErrors);
    }

    /** True once {@code now} is past the deadline: the merge then runs with whatever shards are in. */
    public boolean overdue(Instant now) {
        return now.isAfter(deadline);
    }
}
