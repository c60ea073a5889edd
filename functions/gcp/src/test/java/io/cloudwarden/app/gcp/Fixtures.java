package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test fixtures from {@code src/test/resources}: envelopes as delivered, recorded API responses. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String path) {
        return new String(io.cloudwarden.testkit.recorded.RecordedApiServer.resourceBytes(path), StandardCharsets.UTF_8);
    }

    static String envelope(String name) {
        return text("envelopes/" + name);
    }

    /** A header block ({@code Name: value} per line) as an HTTP client would send it. */
    static Map<String, String> headers(String name) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : envelope(name).split("\n")) {
            int i = line.indexOf(':');
            if (i > 0) {
                h.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
            }
        }
        return h;
    }

    /** The Pub/Sub push body with {@code from} replaced by {@code to} inside the base64 message data. */
    static String pushWithDataReplaced(String name, String from, String to) {
        try {
            ObjectNode push = (ObjectNode) ModelJson.mapper().readTree(envelope(name));
            ObjectNode message = (ObjectNode) push.get("message");
            String data = new String(Base64.getDecoder().decode(message.get("data").asText()), StandardCharsets.UTF_8);
            message.put("data", Base64.getEncoder().encodeToString(data.replace(from, to)
                    .getBytes(StandardCharsets.UTF_8)));
            return ModelJson.mapper().writeValueAsString(push);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return ModelJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
