package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * Result of comparing an observed snapshot with an expected state (a baseline or the previous snapshot).
 * {@code mode} is {@code baseline} or {@code snapshot}; {@code managed} counts resources present on both sides.
 * {@code unread} lists the scopes the compared snapshots could not read (their {@link ScanError}s): nothing inside
 * them is reported missing, removed or added; expected resources inside them are in {@code notCompared}.
 */
@JsonPropertyOrder({"schema", "mode", "comparedAt", "managed", "unchanged", "drift", "notCompared", "ignored",
        "unread"})
public record DriftReport(
        String schema,
        String mode,
        Instant comparedAt,
        int managed,
        int unchanged,
        List<ResourceDrift> drift,
        List<NotCompared> notCompared,
        int ignored,
        // Left out of the JSON when empty: a report of complete scans reads as it always did.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ScanError> unread) {
    public static final String SCHEMA_V1 = "cloudwarden/drift/v1";

    public DriftReport {
        schema = schema == null ? SCHEMA_V1 : schema;
        drift = drift == null ? List.of() : List.copyOf(drift);
        notCompared = notCompared == null ? List.of() : List.copyOf(notCompared);
        unread = unread == null ? List.of() : List.copyOf(unread);
    }

    /** A report with no unread scopes (both sides were read completely). */
    public DriftReport(String schema, String mode, Instant comparedAt, int managed, int unchanged,
            List<ResourceDrift> drift, List<NotCompared> notCompared, int ignored) {
        this(schema, mode, comparedAt, managed, unchanged, drift, notCompared, ignored, List.of());
    }

    /** True when some scope of the compared snapshots was not read. */
    public boolean partial() {
        return !unread.isEmpty();
    }

    public boolean hasDrift() {
        return !drift.isEmpty();
    }

    public List<ResourceDrift> ofKind(ResourceDrift.Kind kind) {
        return drift.stream().filter(d -> d.kind() == kind).toList();
    }
}
