package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.ModelJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway HTTP API payload format 2.0 (also what Lambda Function URLs send) ↔ the core's HTTP request and
 * response. The body is base64-decoded <em>before</em> the core sees it ({@code isBase64Encoded} is true for Slack's
 * form posts), so signatures are checked over the bytes the sender signed. v2 comma-joins repeated headers and moves
 * cookies out of {@code headers}: they are handed over as one {@code cookie} header.
 */
final class HttpApiV2 {
    private HttpApiV2() {
    }

    /** @throws EventParseException naming the field when the payload is not a v2.0 request */
    static HttpRequest request(JsonNode event) {
        if (!event.isObject()) {
            throw new EventParseException("payload", "expected an API Gateway HTTP API / Function URL event object");
        }
        String version = event.path("version").asText("");
        if (!"2.0".equals(version)) {
            throw new EventParseException("version", "expected \"2.0\" (HTTP API payload format 2.0 or a Function"
                    + " URL) but was '" + version + "'");
        }
        String method = event.path("requestContext").path("http").path("method").asText("");
        if (method.isBlank()) {
            throw new EventParseException("requestContext.http.method", "required field is missing");
        }
        String path = event.path("rawPath").asText("");
        if (path.isBlank()) {
            throw new EventParseException("rawPath", "required field is missing");
        }
        Map<String, List<String>> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                List.of(h.getValue().asText(""))));
        List<String> cookies = new ArrayList<>();
        event.path("cookies").forEach(c -> cookies.add(c.asText()));
        if (!cookies.isEmpty()) {
            headers.put("cookie", List.of(String.join("; ", cookies)));
        }
        return new HttpRequest(method, path, headers, event.path("rawQueryString").asText(""), body(event));
    }

    private static byte[] body(JsonNode event) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        if (!body.isTextual()) {
            throw new EventParseException("body", "expected a string");
        }
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(body.asText());
            } catch (IllegalArgumentException e) {
                throw new EventParseException("body", "isBase64Encoded is true but the body is not base64");
            }
        }
        return body.asText().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {statusCode, headers, body, isBase64Encoded}}; text bodies as text, anything else base64. */
    static ObjectNode response(HttpResponse r) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("statusCode", r.status());
        ObjectNode headers = out.putObject("headers");
        r.headers().forEach(headers::put);
        String type = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse("").toLowerCase(Locale.ROOT);
        boolean text = r.body().length == 0 || type.startsWith("text/") || type.contains("json")
                || type.contains("xml") || type.contains("x-www-form-urlencoded");
        out.put("body", text ? r.bodyText() : Base64.getEncoder().encodeToString(r.body()));
        out.put("isBase64Encoded", !text);
        return out;
    }
}
