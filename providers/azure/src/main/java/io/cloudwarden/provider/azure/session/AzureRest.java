package io.cloudwarden.provider.azure.session;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The ARM and Resource Graph REST calls, sent through an Azure SDK {@link HttpPipeline} (the SDK's retry policy,
 * which honours {@code Retry-After} on 429/503, and its bearer-token policy). Raw REST is used rather than the fluent
 * managers because every call must go to the configurable Resource Manager root and return the wire JSON that is
 * kept as {@code raw} evidence. Errors become {@link ProviderException} with ARM's {@code error.code}.
 */
public final class AzureRest {
    /** Resource Graph API version (GA). */
    public static final String RESOURCE_GRAPH_API = "2021-03-01";
    private static final int PAGE_SIZE = 1000;

    private final HttpPipeline pipeline;
    private final String root;
    private final RateLimiter graphLimiter;
    private final ObjectMapper mapper = ModelJson.mapper();

    public AzureRest(HttpPipeline pipeline, URI root, RateLimiter graphLimiter) {
        this.pipeline = pipeline;
        String r = root.toString();
        this.root = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
        this.graphLimiter = graphLimiter;
    }

    public String root() {
        return root;
    }

    /** GET of one ARM resource (path = an ARM id or any path under the root); empty on 404. */
    public Optional<JsonNode> get(String path, String apiVersion, String operation) {
        return Optional.ofNullable(send(HttpMethod.GET, url(path, apiVersion), null, operation, true));
    }

    /** GET of an ARM list, following {@code nextLink} until exhausted; each {@code value[]} item goes to sink. */
    public void list(String path, String apiVersion, String operation, Consumer<JsonNode> sink) {
        String next = url(path, apiVersion);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (next != null) {
            if (!seen.add(next)) {
                throw malformed(operation, "the list response repeats a nextLink it already returned");
            }
            JsonNode page = send(HttpMethod.GET, next, null, operation, true);
            if (page == null) {
                return;
            }
            JsonNode value = page.path("value");
            if (!value.isArray()) {
                throw malformed(operation, "expected a 'value' array in the list response");
            }
            value.forEach(sink);
            String link = page.path("nextLink").asText("");
            next = link.isEmpty() ? null : rebase(link);
        }
    }

    public List<JsonNode> listAll(String path, String apiVersion, String operation) {
        List<JsonNode> out = new ArrayList<>();
        list(path, apiVersion, operation, out::add);
        return out;
    }

    /** A write (PUT / PATCH / POST / DELETE). Returns the response body (an empty object when there is none). */
    public JsonNode write(HttpMethod method, String path, String apiVersion, JsonNode body, String operation) {
        JsonNode out = send(method, url(path, apiVersion), body, operation, method == HttpMethod.DELETE);
        return out == null ? mapper.createObjectNode() : out;
    }

    /** A write to an absolute URL (data-plane endpoints such as Key Vault). */
    public JsonNode writeUrl(HttpMethod method, String absoluteUrl, JsonNode body, String operation) {
        JsonNode out = send(method, absoluteUrl, body, operation, false);
        return out == null ? mapper.createObjectNode() : out;
    }

    /**
     * Starts an ARM long-running operation ({@code POST .../installPatches}): sends the request and returns the
     * answer with the URL to follow — {@code Azure-AsyncOperation} when ARM sent one (its body carries the
     * operation's {@code status}), else {@code Location} — as ARM's asynchronous-operation contract and the Azure
     * SDK's default polling strategy do. A 200 (done at once) has no URL to follow.
     */
    public Accepted begin(HttpMethod method, String path, String apiVersion, JsonNode body, String operation) {
        return accepted(method, url(path, apiVersion), body, operation);
    }

    /**
     * One poll of a long-running operation: a GET of the URL {@link #begin} returned (sent to the configured root,
     * like nextLinks). An {@code Azure-AsyncOperation} answer is {@code {"status": "InProgress" | "Succeeded" |
     * "Failed" | "Canceled", "properties": {"output": result}, "error": {...}}}; a {@code Location} answer is 202 while
     * running and 200 with the result when done.
     */
    public Accepted poll(String monitorUrl, String operation) {
        return accepted(HttpMethod.GET, rebase(monitorUrl), null, operation);
    }

    private Accepted accepted(HttpMethod method, String url, JsonNode body, String operation) {
        HttpRequest request = new HttpRequest(method, url);
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(body.toString());
        }
        PipelineExchange exchange = PipelineExchange.send(pipeline, request, e -> new ProviderException(Cloud.AZURE,
                operation, "TransportError", true,
                operation + ": request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e));
        JsonNode json = exchange.json(mapper, false, err -> error(operation, exchange.status(), err),
                what -> malformed(operation, what));
        String async = exchange.headers().getValue(HttpHeaderName.fromString("Azure-AsyncOperation"));
        String location = exchange.headers().getValue(HttpHeaderName.LOCATION);
        return new Accepted(exchange.status(), json == null ? mapper.createObjectNode() : json,
                Optional.ofNullable(async).filter(v -> !v.isBlank()),
                Optional.ofNullable(location).filter(v -> !v.isBlank()));
    }

    /** The answer to a long-running operation's start or poll: status, body, and the URLs ARM gave to follow it. */
    public record Accepted(int status, JsonNode body, Optional<String> asyncOperation, Optional<String> location) {
        /** The URL to poll: {@code Azure-AsyncOperation} first, else {@code Location}. */
        public Optional<String> monitor() {
            return asyncOperation.or(() -> location);
        }
    }

    /**
     * Runs one KQL query over one subscription through Resource Graph, paging with {@code $skipToken}. Each page is
     * one query against the 15-per-5-seconds quota, so each takes a limiter permit.
     */
    public void resourceGraph(String subscription, String kql, String operation, Consumer<JsonNode> sink) {
        String skipToken = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        do {
            ObjectNode body = mapper.createObjectNode();
            body.putArray("subscriptions").add(subscription);
            body.put("query", kql);
            ObjectNode options = body.putObject("options");
            options.put("resultFormat", "objectArray");
            options.put("$top", PAGE_SIZE);
            if (skipToken != null) {
                options.put("$skipToken", skipToken);
            }
            graphLimiter.acquire();
            JsonNode page = send(HttpMethod.POST,
                    url("/providers/Microsoft.ResourceGraph/resources", RESOURCE_GRAPH_API), body, operation, false);
            JsonNode data = page.path("data");
            if (!data.isArray()) {
                throw malformed(operation, "expected a 'data' array (resultFormat objectArray) in the Resource Graph "
                        + "response");
            }
            data.forEach(sink);
            String token = page.path("$skipToken").asText("");
            skipToken = token.isEmpty() ? null : token;
            if (skipToken != null && !seen.add(skipToken)) {
                throw malformed(operation, "Resource Graph repeated a $skipToken it already returned");
            }
        } while (skipToken != null);
    }

    private String url(String path, String apiVersion) {
        String base = path.startsWith("http://") || path.startsWith("https://") ? rebase(path)
                : root + (path.startsWith("/") ? path : "/" + path);
        if (base.contains("api-version=")) {
            return base;
        }
        return base + (base.contains("?") ? "&" : "?") + "api-version=" + apiVersion;
    }

    /** nextLinks name the public ARM host; keep their path and query but send them to the configured root. */
    private String rebase(String link) {
        URI u = URI.create(link);
        if (u.getHost() != null && u.getHost().toLowerCase(java.util.Locale.ROOT).startsWith("management.")) {
            return root + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        }
        return link;
    }

    private JsonNode send(HttpMethod method, String url, JsonNode body, String operation, boolean notFoundIsEmpty) {
        HttpRequest request = new HttpRequest(method, url);
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(body.toString());
        }
        PipelineExchange exchange = PipelineExchange.send(pipeline, request, e -> new ProviderException(Cloud.AZURE,
                operation, "TransportError", true,
                operation + ": request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e));
        return exchange.json(mapper, notFoundIsEmpty, err -> error(operation, exchange.status(), err),
                what -> malformed(operation, what));
    }

    private static ProviderException error(String operation, int status, PipelineExchange.ErrorBody err) {
        return new ProviderException(Cloud.AZURE, operation, err.code(), err.retryable(),
                operation + " failed with HTTP " + status + " " + err.code() + ": " + err.message());
    }

    private static ProviderException malformed(String operation, String what) {
        return new ProviderException(Cloud.AZURE, operation, "MalformedResponse", false, operation + ": " + what);
    }
}
