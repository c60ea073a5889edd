package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;

/** Remembers which plan keys were already acted on: {@code claimOnce} is true only the first time for a key. */
@FunctionalInterface
public interface IdempotencyLedger {
    boolean claimOnce(String key, JsonNode record);
}
