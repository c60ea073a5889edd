package io.cloudwarden.app.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The custom-handler response {@code {"Outputs": {...}, "Logs": [...], "ReturnValue": ...}}. None of the triggers
 * here has an output binding, so {@code Outputs} is empty; {@code Logs} land in the invocation log (Application
 * Insights); {@code ReturnValue} carries a summary of what the core did (the host ignores it without a
 * {@code $return} binding; it is there for people and tests calling the handler directly). A non-2xx status fails the
 * invocation: the host then retries a queue message (and finally moves it to the poison queue) and reports the Event
 * Grid delivery as failed so Event Grid redelivers it.
 */
public final class InvocationResult {
    private InvocationResult() {
    }

    public static Response ok(List<String> logs, JsonNode returnValue) {
        return respond(200, logs, returnValue);
    }

    public static Response failed(int status, List<String> logs) {
        return respond(status, logs, null);
    }

    static Response respond(int status, List<String> logs, JsonNode returnValue) {
        ObjectNode body = ModelJson.mapper().createObjectNode();
        body.putObject("Outputs");
        body.set("Logs", ModelJson.mapper().valueToTree(logs));
        if (returnValue == null) {
            body.putNull("ReturnValue");
        } else {
            body.set("ReturnValue", returnValue);
        }
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ModelJson.mapper().writeValueAsBytes(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
