package io.cloudwarden.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudwarden.model.ModelJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A cloud-neutral HTTP response. */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
    public HttpResponse {
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResponse json(int status, Object value) {
        try {
            return new HttpResponse(status, Map.of("content-type", "application/json"),
                    ModelJson.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"error": message}} with the status. */
    public static HttpResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, Map.of("content-type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new HashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, h, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
