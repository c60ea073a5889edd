package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * What happened to a plan. {@code status}: {@code planned} (dry run), {@code applied-verified}, {@code
 * already-compliant}, {@code duplicate} (same key already handled), {@code blocked} (a guardrail refused),
 * {@code awaiting-approval}, {@code verify-failed}, {@code failed}.
 */
@JsonPropertyOrder({"planId", "key", "action", "resource", "status", "message", "dryRun", "at"})
public record RemediationResult(
        String planId, String key, String action, ResourceRef resource, String status, String message,
        boolean dryRun, Instant at) {
    public RemediationResult {
        message = message == null ? "" : message;
    }
}
