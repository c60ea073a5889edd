package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.queue.WorkItem;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A Pub/Sub push request: {@code {"message": {"data": base64, "messageId", "attributes", "publishTime"},
 * "subscription", "deliveryAttempt"}} ({@code deliveryAttempt} only when the subscription has a dead-letter
 * policy). The message is either a Cloudwarden work item — a structured CloudEvent of type
 * {@code io.cloudwarden.*}, or any message the remediation sink marked with the {@code cloudwarden-type}
 * attribute — or, otherwise, a log-sink message carrying a Cloud Audit Log entry.
 */
public record PushMessage(String messageId, byte[] data, Map<String, String> attributes, int deliveryAttempt,
        String subscription, boolean workItem) {
    public static final String TYPE_ATTRIBUTE = "cloudwarden-type";

    public PushMessage {
        attributes = Map.copyOf(attributes);
    }

    public static PushMessage parse(byte[] body) {
        JsonNode push;
        try {
            push = ModelJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new EventParseException("body", "expected a Pub/Sub push request (JSON) but the body is not JSON");
        }
        if (push == null || !push.path("message").isObject()) {
            throw new EventParseException("message", "expected the Pub/Sub push request's message object");
        }
        JsonNode message = push.get("message");
        String id = message.path("messageId").asText(message.path("message_id").asText(""));
        if (id.isBlank()) {
            throw new EventParseException("message.messageId", "expected a non-empty string");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(message.path("data").asText("").trim());
        } catch (IllegalArgumentException e) {
            throw new EventParseException("message.data", "expected base64 but it does not decode");
        }
        Map<String, String> attributes = new HashMap<>();
        message.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        int attempt = push.path("deliveryAttempt").asInt(1);
        return new PushMessage(id, data, attributes, Math.max(attempt, 1), push.path("subscription").asText(""),
                attributes.containsKey(TYPE_ATTRIBUTE) || isCloudwardenEvent(data));
    }

    private static boolean isCloudwardenEvent(byte[] data) {
        try {
            JsonNode n = ModelJson.mapper().readTree(data);
            return n != null && n.has("specversion") && n.path("type").asText("").startsWith("io.cloudwarden.");
        } catch (IOException e) {
            return false;
        }
    }

    public WorkItem toWorkItem() {
        return new WorkItem(messageId, data, deliveryAttempt);
    }
}
