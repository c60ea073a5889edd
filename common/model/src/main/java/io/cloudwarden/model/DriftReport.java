package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * Result of comparing an observed snapshot with an expected state (a baseline or the previous snapshot).
 * {@code mode} is {@code baseline} or {@code snapshot}; {@code managed} counts resources present on both sides.
 */
@JsonPropertyOrder({"schema", "mode", "comparedAt", "managed", "unchanged", "drift", "notCompared", "ignored"})
public record DriftReport(
        String schema,
        String mode,
        Instant comparedAt,
        int managed,
        int unchanged,
        List<ResourceDrift> drift,
        List<NotCompared> notCompared,
        int ignored) {
    public static final String SCHEMA_V1 = "cloudwarden/drift/v1";

    public DriftReport {
        schema = schema == null ? SCHEMA_V1 : schema;
        drift = drift == null ? List.of() : List.copyOf(drift);
        notCompared = notCompared == null ? List.of() : List.copyOf(notCompared);
    }

    public boolean hasDrift() {
        return !drift.isEmpty();
    }

    public List<ResourceDrift> ofKind(ResourceDrift.Kind kind) {
        return drift.stream().filter(d -> d.kind() == kind).toList();
    }
}
