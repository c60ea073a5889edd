package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one rule on one resource that did not comply ({@code FAIL}) or could not be evaluated
 * ({@code ERROR}). {@code id} is stable across scans: it depends only on the rule id and the resource.
 */
@JsonPropertyOrder({"id", "ruleId", "title", "severity", "status", "resource", "message", "controls",
        "remediation", "observedAt"})
public record Finding(
        String id,
        String ruleId,
        String title,
        Severity severity,
        Status status,
        ResourceRef resource,
        String message,
        List<String> controls,
        Optional<RemediationRef> remediation,
        Instant observedAt) {

    public enum Status { FAIL, ERROR }

    public Finding {
        controls = controls == null ? List.of() : List.copyOf(controls);
        remediation = remediation == null ? Optional.empty() : remediation;
        message = message == null ? "" : message;
        title = title == null ? "" : title;
        observedAt = observedAt == null ? Instant.EPOCH : observedAt;
    }

    /** Stable finding id: {@code f-} + the first 16 hex digits of SHA-256(ruleId|cloud|type|id). */
    public static String idFor(String ruleId, ResourceRef ref) {
        return "f-" + Hashing.sha256HexPrefix(ruleId + "|" + ref.matchKey(), 16);
    }
}
