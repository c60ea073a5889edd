package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.ModelJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} function when the host does not forward the request ({@code enableForwardingHttpRequest} off):
 * the request then arrives as an invocation, Data {@code req} = {@code {"Url", "Method", "Query", "Headers": {name:
 * [values]}, "Params": {"path": ...}, "Body"}}, and the answer goes back as the {@code res} output
 * {@code {"statusCode", "headers", "body"}}. Same gateway as {@link ForwardedHttp}; the body is the UTF-8 text the host
 * passes (chat signatures hold for UTF-8 bodies, which Slack and Teams send).
 */
@Path("/http")
public class HttpInvocationFunction {
    static final String BINDING = "req";
    static final String OUTPUT = "res";

    @Inject
    Functions functions;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response invoke(byte[] body) {
        HttpRequest request;
        try {
            request = request(Invocation.parse(body).json(BINDING));
        } catch (InvalidInvocationException e) {
            return InvocationResult.failed(400, List.of(e.getMessage()));
        }
        HttpResponse resp = functions.gateway().handle(request);
        ObjectNode res = ModelJson.mapper().createObjectNode();
        res.put("statusCode", resp.status());
        ObjectNode headers = res.putObject("headers");
        resp.headers().forEach(headers::put);
        res.put("body", resp.bodyText());
        ObjectNode answer = ModelJson.mapper().createObjectNode();
        answer.putObject("Outputs").set(OUTPUT, res);
        answer.set("Logs", ModelJson.mapper().valueToTree(List.of(request.method() + " " + request.path() + " -> "
                + resp.status())));
        answer.putNull("ReturnValue");
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static HttpRequest request(JsonNode req) {
        String method = req.path("Method").asText("");
        if (method.isEmpty()) {
            throw new InvalidInvocationException("Data.req.Method: missing");
        }
        String url = req.path("Url").asText("");
        String path;
        String query = "";
        JsonNode param = req.path("Params").path("path");
        try {
            URI u = URI.create(url);
            query = u.getRawQuery() == null ? "" : u.getRawQuery();
            path = param.isTextual() ? "/" + param.asText()
                    : u.getRawPath().startsWith(ForwardedHttp.PREFIX + "/")
                            ? u.getRawPath().substring(ForwardedHttp.PREFIX.length()) : u.getRawPath();
        } catch (IllegalArgumentException e) {
            throw new InvalidInvocationException("Data.req.Url: expected the request URL but was '" + url + "'");
        }
        Map<String, List<String>> headers = new HashMap<>();
        req.path("Headers").fields().forEachRemaining(h -> {
            List<String> values = new ArrayList<>();
            if (h.getValue().isArray()) {
                h.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(h.getValue().asText());
            }
            headers.put(h.getKey(), values);
        });
        JsonNode b = req.path("Body");
        byte[] body = b.isMissingNode() || b.isNull() ? new byte[0]
                : (b.isTextual() ? b.asText() : b.toString()).getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, path, headers, query, body);
    }
}
