package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;

/**
 * One line of the tamper-evident audit trail. {@code hash} = SHA-256 over the canonical JSON of the record without
 * its {@code hash} field; {@code prevHash} is the predecessor's hash (64 zeros for the first record).
 */
@JsonPropertyOrder({"seq", "time", "actor", "action", "subject", "outcome", "details", "prevHash", "hash"})
public record AuditRecord(
        long seq, Instant time, Actor actor, String action, String subject, String outcome, JsonNode details,
        String prevHash, String hash) {
    public static final String GENESIS = "0".repeat(64);

    public AuditRecord {
        actor = actor == null ? Actor.SYSTEM : actor;
        subject = subject == null ? "" : subject;
        outcome = outcome == null ? "" : outcome;
        details = details == null ? JsonNodeFactory.instance.objectNode() : details.deepCopy();
        prevHash = prevHash == null ? GENESIS : prevHash;
        hash = hash == null ? "" : hash;
    }
}
