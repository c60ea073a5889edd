package io.cloudwarden.app.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads Lambda payloads as JSON trees and writes results with the model's mapper. Stream handlers bind nothing
 * themselves: EventBridge's {@code detail-type} and Scheduler's string {@code "detail": "{}"} defeat POJO binding.
 */
final class LambdaJson {
    private LambdaJson() {
    }

    /** @throws EventParseException naming the payload and the JSON error when the bytes are not one JSON value */
    static JsonNode read(InputStream in, String what) throws IOException {
        byte[] bytes = in.readAllBytes();
        try {
            JsonNode node = ModelJson.mapper().readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new EventParseException(what, "expected a JSON object, got an empty payload");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new EventParseException(what, "expected JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    static void write(OutputStream out, Object value) throws IOException {
        out.write(ModelJson.mapper().writeValueAsBytes(value));
        out.flush();
    }
}
