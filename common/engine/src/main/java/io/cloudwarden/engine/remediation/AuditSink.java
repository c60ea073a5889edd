package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.Actor;

/** Where remediation decisions are recorded (the audit chain in production). */
@FunctionalInterface
public interface AuditSink {
    void record(Actor actor, String action, String subject, String outcome, JsonNode details);

    /**
     * Makes the records made so far durable now, for a sink that gathers them (the audit chain inside a batch, see
     * {@code AuditChain.batched}): the executor calls it before it changes anything in the cloud and after it
     * recorded the outcome, so what was decided before an apply, and the apply's outcome, never wait in memory.
     */
    default void flush() {
    }
}
