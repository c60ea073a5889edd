package io.cloudwarden.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RFC 6902 JSON Patch operation over a resource's {@code attributes}: what must be applied to the expected
 * (baseline / older) attributes to obtain the observed (newer) ones. {@code from} is the expected value at
 * {@code path} (null node when absent), kept so reports can show before → after.
 */
public record AttributeChange(String op, String path, JsonNode value, JsonNode from) {
    public AttributeChange {
        value = value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value;
        from = from == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : from;
    }
}
