package io.cloudwarden.provider.azure.session;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.ModelJson;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Microsoft Graph v1.0 REST through the session's Azure SDK {@link HttpPipeline} (the same retry policy, which
 * honours Graph's {@code Retry-After} on 429/503, and the same credential, with the Graph token audience).
 *
 * <p>Why not the Graph SDK ({@code com.microsoft.graph:microsoft-graph} 6.20.0, which does resolve here with its
 * Kiota dependencies): it brings a second HTTP stack (Kiota over OkHttp, with its own retry and auth handlers) next
 * to azure-core's, and deserializes into typed models, while every other Azure collector keeps the wire JSON
 * verbatim as {@code raw} evidence. Five list endpoints do not justify a 50 MB jar and a second transport.
 *
 * <p>Root: setting {@value #GRAPH_ENDPOINT_SETTING}, else {@code <endpoint>/graph} when the Resource Manager endpoint
 * is overridden (so one recorded-response server serves both), else {@code https://graph.microsoft.com}.
 * {@code @odata.nextLink}s naming a Graph host are re-rooted onto the configured root.
 */
public final class GraphRest {
    public static final URI PUBLIC_GRAPH = URI.create("https://graph.microsoft.com");
    public static final String GRAPH_ENDPOINT_SETTING = "cloudwarden.azure.graph-endpoint";

    private final HttpPipeline pipeline;
    private final String root;
    private final Optional<String> configuredTenant;
    private final ObjectMapper mapper = ModelJson.mapper();
    private volatile String tenant;

    public GraphRest(HttpPipeline pipeline, URI root, Optional<String> configuredTenant) {
        this.pipeline = pipeline;
        String r = root.toString();
        this.root = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
        this.configuredTenant = configuredTenant;
    }

    /** The Graph root for a configuration (see the class comment). Bad URLs are rejected naming the setting. */
    public static URI root(ProviderConfig config) {
        Optional<String> explicit = config.setting(GRAPH_ENDPOINT_SETTING);
        if (explicit.isPresent()) {
            try {
                URI u = URI.create(explicit.get().trim());
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("settings." + GRAPH_ENDPOINT_SETTING
                        + ": expected an absolute URL such as https://graph.microsoft.com but was '" + explicit.get()
                        + "'");
            }
        }
        return config.endpoint().map(e -> {
            String s = e.toString();
            return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/graph");
        }).orElse(PUBLIC_GRAPH);
    }

    /** The token scope for a configuration: the explicit Graph root's {@code /.default} (national clouds), else public. */
    public static String scope(ProviderConfig config) {
        return config.setting(GRAPH_ENDPOINT_SETTING).map(s -> root(config).toString().replaceAll("/+$", "")
                + "/.default").orElse(PUBLIC_GRAPH + "/.default");
    }

    public String root() {
        return root;
    }

    /**
     * The tenant id when it is known without calling Graph (setting {@code tenantId}, or already read); empty
     * otherwise.
     */
    public Optional<String> knownTenantId() {
        String t = tenant;
        if (t != null) {
            return Optional.of(t);
        }
        return configuredTenant.map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * The tenant the session's credential reads: setting {@code tenantId}, else the id of {@code GET /organization}
     * (read once per session: the Graph shards are collected in parallel and all ask at once, so the first read is
     * made under a lock the others wait on).
     */
    public String tenantId() {
        String t = tenant;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            return readTenant();
        }
    }

    private String readTenant() {
        String t = tenant;
        if (t != null) {
            return t;
        }
        if (configuredTenant.isPresent()) {
            t = configuredTenant.get().trim();
        } else {
            JsonNode org = get("/v1.0/organization?$select=id", "graph:organization.list")
                    .orElseThrow(() -> malformed("graph:organization.list", "GET /organization returned nothing"));
            t = org.path("value").path(0).path("id").asText("");
            if (t.isEmpty()) {
                throw malformed("graph:organization.list", "expected value[0].id (the tenant id) in the response");
            }
        }
        tenant = t;
        return t;
    }

    /** GET of one object (path and query under {@code /v1.0}); empty on 404. */
    public Optional<JsonNode> get(String pathAndQuery, String operation) {
        return Optional.ofNullable(send(url(pathAndQuery), operation));
    }

    /**
     * A write ({@code POST} of an action such as {@code /applications/{id}/removePassword}, {@code PATCH} of an
     * object) with a JSON body; the response body, or empty for 204 / no body. 404 is a {@link GraphException} with
     * status 404 (the caller decides whether "gone" is success). Writes are not retried by this class beyond the
     * pipeline's own retry policy.
     */
    public Optional<JsonNode> write(HttpMethod method, String path, JsonNode body, String operation) {
        HttpRequest request = new HttpRequest(method, url(path));
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
        request.setBody(body.toString());
        return Optional.ofNullable(read(request, operation, false));
    }

    /** GET of a collection, following {@code @odata.nextLink} until exhausted; each {@code value[]} item to sink. */
    public void list(String pathAndQuery, String operation, Consumer<JsonNode> sink) {
        String next = url(pathAndQuery);
        Set<String> seen = new HashSet<>();
        while (next != null) {
            if (!seen.add(next)) {
                throw malformed(operation, "the collection repeats an @odata.nextLink it already returned");
            }
            JsonNode page = send(next, operation);
            if (page == null) {
                throw new GraphException(operation, "NotFound", 404, false, operation + ": collection not found",
                        null);
            }
            JsonNode value = page.path("value");
            if (!value.isArray()) {
                throw malformed(operation, "expected a 'value' array in the collection response");
            }
            value.forEach(sink);
            String link = page.path("@odata.nextLink").asText("");
            next = link.isEmpty() ? null : rebase(link);
        }
    }

    private String url(String pathAndQuery) {
        if (pathAndQuery.startsWith("https://") || pathAndQuery.startsWith("http://")) {
            return rebase(pathAndQuery);
        }
        return root + (pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery);
    }

    /** nextLinks name the public Graph host; keep their path and query, send them to the configured root. */
    private String rebase(String link) {
        URI u = URI.create(link);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        if (host.contains("graph") && !link.startsWith(root + "/")) {
            return root + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        }
        return link;
    }

    private JsonNode send(String url, String operation) {
        HttpRequest request = new HttpRequest(HttpMethod.GET, url);
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        return read(request, operation, true);
    }

    /** Sends {@code request}; its JSON answer (null when empty, or a 404 when {@code notFoundIsEmpty}). */
    private JsonNode read(HttpRequest request, String operation, boolean notFoundIsEmpty) {
        PipelineExchange exchange = PipelineExchange.send(pipeline, request, e -> new GraphException(operation,
                "TransportError", 0, true,
                operation + ": request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e));
        return exchange.json(mapper, notFoundIsEmpty, err -> error(operation, exchange.status(), err),
                what -> malformed(operation, what));
    }

    /** Graph errors are {@code {"error": {"code", "message", "innerError": {...}}}}; the inner request ids are not kept. */
    private static GraphException error(String operation, int status, PipelineExchange.ErrorBody err) {
        return new GraphException(operation, err.code(), status, err.retryable(),
                operation + " failed with HTTP " + status + " " + err.code() + ": " + err.message(), null);
    }

    public static GraphException malformed(String operation, String what) {
        return new GraphException(operation, "MalformedResponse", 0, false, operation + ": " + what, null);
    }
}
