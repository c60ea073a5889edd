package io.cloudwarden.app.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One custom-handler invocation as the Functions host POSTs it to {@code /<FunctionName>}:
 * {@code {"Data": {<binding name>: <trigger value>}, "Metadata": {<trigger metadata>, "sys": {...}}}}.
 *
 * <p>The host hands a trigger value over either as JSON (an object) or as a string holding it (queue messages are
 * always strings, timer and Event Grid values depend on the host version), so {@link #json} accepts both.
 */
public record Invocation(JsonNode data, JsonNode metadata) {

    public static Invocation parse(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : ModelJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInvocationException("body: expected the custom handler invocation JSON {\"Data\": {...},"
                    + " \"Metadata\": {...}} (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInvocationException("body: unreadable");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInvocationException("body: expected the custom handler invocation JSON object"
                    + " {\"Data\": {...}, \"Metadata\": {...}}");
        }
        JsonNode data = root.path("Data");
        if (!data.isObject()) {
            throw new InvalidInvocationException("Data: expected an object keyed by binding name");
        }
        return new Invocation(data, root.path("Metadata"));
    }

    /** The trigger value of {@code binding} as JSON (parsed when the host sent it as a string). */
    public JsonNode json(String binding) {
        JsonNode v = required(binding);
        if (!v.isTextual()) {
            return v;
        }
        try {
            JsonNode parsed = ModelJson.mapper().readTree(v.asText());
            if (parsed == null || parsed.isMissingNode()) {
                throw new InvalidInvocationException("Data." + binding + ": expected JSON, got an empty string");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new InvalidInvocationException("Data." + binding + ": expected JSON (" + e.getOriginalMessage()
                    + ")");
        }
    }

    /** The trigger value of {@code binding} as the bytes it carries (a string as UTF-8, JSON re-serialized). */
    public byte[] bytes(String binding) {
        JsonNode v = required(binding);
        if (v.isTextual()) {
            return v.asText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return ModelJson.mapper().writeValueAsBytes(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trigger metadata value ({@code Id}, {@code DequeueCount}, ...) as text. */
    public Optional<String> meta(String field) {
        JsonNode v = metadata.path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** {@code Metadata.sys.<field>} ({@code MethodName}, {@code UtcNow}, {@code RandGuid}). */
    public Optional<String> sys(String field) {
        JsonNode v = metadata.path("sys").path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }

    private JsonNode required(String binding) {
        JsonNode v = data.get(binding);
        if (v == null || v.isNull()) {
            throw new InvalidInvocationException("Data." + binding + ": missing (the trigger binding in function.json"
                    + " is named \"" + binding + "\"; Data has " + fieldNames() + ")");
        }
        return v;
    }

    private String fieldNames() {
        StringBuilder sb = new StringBuilder("[");
        data.fieldNames().forEachRemaining(n -> sb.append(sb.length() > 1 ? ", " : "").append(n));
        return sb.append(']').toString();
    }
}
