package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A point-in-time inventory: {@code {"schema": "cloudwarden/snapshot/v1", "takenAt", "resources", "errors"}}. */
@JsonPropertyOrder({"schema", "takenAt", "resources", "errors"})
public record Snapshot(String schema, Instant takenAt, List<Resource> resources, List<ScanError> errors) {
    public static final String SCHEMA_V1 = "cloudwarden/snapshot/v1";

    public Snapshot {
        schema = schema == null ? SCHEMA_V1 : schema;
        Objects.requireNonNull(takenAt, "takenAt");
        resources = resources == null ? List.of() : List.copyOf(resources);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Snapshot of(Instant takenAt, List<Resource> resources, List<ScanError> errors) {
        return new Snapshot(SCHEMA_V1, takenAt, resources, errors);
    }

    /** True when at least one shard could not be read. */
    public boolean partial() {
        return !errors.isEmpty();
    }
}
