package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.Actor;

/** Where remediation decisions are recorded (the audit chain in production). */
@FunctionalInterface
public interface AuditSink {
    void record(Actor actor, String action, String subject, String outcome, JsonNode details);
}
