package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A point-in-time inventory: {@code {"schema": "cloudwarden/snapshot/v1", "takenAt", "resources", "errors",
 * "statistics"}}. {@code statistics} (optional, absent in snapshots not made by a scan) says how the scan went; it is
 * not part of the inventory.
 */
@JsonPropertyOrder({"schema", "takenAt", "resources", "errors", "statistics"})
public record Snapshot(String schema, Instant takenAt, List<Resource> resources, List<ScanError> errors,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScanStatistics statistics) {
    public static final String SCHEMA_V1 = "cloudwarden/snapshot/v1";

    public Snapshot(String schema, Instant takenAt, List<Resource> resources, List<ScanError> errors) {
        this(schema, takenAt, resources, errors, null);
    }

    public Snapshot {
        schema = schema == null ? SCHEMA_V1 : schema;
        Objects.requireNonNull(takenAt, "takenAt");
        resources = resources == null ? List.of() : List.copyOf(resources);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Snapshot of(Instant takenAt, List<Resource> resources, List<ScanError> errors) {
        return new Snapshot(SCHEMA_V1, takenAt, resources, errors, null);
    }

    /** This snapshot with {@code statistics} attached. */
    public Snapshot withStatistics(ScanStatistics statistics) {
        return new Snapshot(schema, takenAt, resources, errors, statistics);
    }

    /** True when at least one shard could not be read. */
    public boolean partial() {
        return !errors.isEmpty();
    }
}
