package io.cloudwarden.functions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.EventHandler;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The core's HTTP surface, shared by every binding: {@code GET /q/health}, {@code POST /scan},
 * {@code POST /events/{aws|azure|gcp}} (plus the Event Grid CloudEvents {@code OPTIONS} handshake), and the
 * chatops routes registered with {@link #route} (they verify their own signatures).
 *
 * <p>{@code /scan} and {@code /events/*} run only under an authentication scheme ({@link Auth}): a bearer token
 * ({@code cloudwarden.http.token}), the platform's own ({@code cloudwarden.http.auth=platform}: the deployment
 * admits only authenticated callers, e.g. Azure function keys or Cloud Run IAM, set so by {@code infra/}), or — for
 * the local server bound to a loopback address only — none. Without one they answer 403 and run nothing: an open
 * {@code /scan} let anyone start full scans. Bodies over 1 MiB are refused with 413. Responses never carry stack
 * traces, Java class names or where the state is stored.
 */
public final class HttpGateway {
    public static final int MAX_BODY = 1024 * 1024;

    private final Cloudwarden cw;
    private final Detector detector;
    private final EventHandler events;
    private final Map<String, HttpHandler> routes = new HashMap<>();
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(HttpGateway.class.getName());
    public static final String AUTH_KEY = "cloudwarden.http.auth";
    public static final String TOKEN_KEY = "cloudwarden.http.token";

    /** How callers of {@code /scan} and {@code /events/*} are authenticated. */
    public enum Auth {
        /** {@code Authorization: Bearer <cloudwarden.http.token>}. */
        TOKEN,
        /** The platform authenticated the caller before the request reached the app (IAM, function keys). */
        PLATFORM,
        /** Nothing configured: refused, except on a server bound to loopback only ({@link #loopbackOnly}). */
        NONE
    }

    private final Optional<String> token;
    private final Auth auth;
    private volatile boolean loopbackOnly;

    public HttpGateway(Cloudwarden cw, Detector detector, EventHandler events) {
        this.cw = cw;
        this.detector = detector;
        this.events = events;
        this.token = cw.config().get(TOKEN_KEY).filter(t -> !t.isBlank());
        Optional<String> declared = cw.config().get(AUTH_KEY).map(String::trim).filter(v -> !v.isEmpty());
        if (declared.isPresent() && !declared.get().equals("platform") && !declared.get().equals("token")) {
            throw new io.cloudwarden.functions.ConfigException(AUTH_KEY, "'platform' or 'token'", declared.get());
        }
        if (declared.filter("token"::equals).isPresent() && token.isEmpty()) {
            throw new io.cloudwarden.functions.ConfigException(AUTH_KEY, "token needs " + TOKEN_KEY + " to be set");
        }
        // A configured token is always checked, also behind a platform that authenticates callers.
        this.auth = token.isPresent() ? Auth.TOKEN : declared.isPresent() ? Auth.PLATFORM : Auth.NONE;
    }

    /** The scheme {@code /scan} and {@code /events/*} run under. */
    public Auth auth() {
        return auth;
    }

    /**
     * Declares that this gateway is served on a loopback address only (the local server's default), where callers
     * are this machine's users: {@code /scan} may then run without an authentication scheme.
     */
    public HttpGateway loopbackOnly(boolean value) {
        this.loopbackOnly = value;
        return this;
    }

    /** Registers an extra POST route (e.g. {@code /chatops/slack}). */
    public HttpGateway route(String path, HttpHandler handler) {
        routes.put(path, handler);
        return this;
    }

    public HttpResponse handle(HttpRequest req) {
        try {
            if (req.body().length > MAX_BODY) {
                return HttpResponse.error(413, "body exceeds " + MAX_BODY + " bytes");
            }
            String path = req.path().length() > 1 && req.path().endsWith("/")
                    ? req.path().substring(0, req.path().length() - 1) : req.path();
            if (path.equals("/q/health")) {
                // Up or down only: unauthenticated callers learn nothing about the deployment (no store location).
                return "GET".equals(req.method()) ? HttpResponse.json(200, Map.of("status", "UP"))
                        : HttpResponse.error(405, "use GET");
            }
            HttpHandler extra = routes.get(path);
            if (extra != null) {
                return "POST".equals(req.method()) ? extra.handle(req) : HttpResponse.error(405, "use POST");
            }
            if (path.startsWith("/events/")) {
                Cloud cloud;
                try {
                    cloud = Cloud.of(path.substring("/events/".length()));
                } catch (IllegalArgumentException e) {
                    return HttpResponse.error(404, "no such route: " + path + " (expected /events/aws, /events/azure"
                            + " or /events/gcp)");
                }
                if ("OPTIONS".equals(req.method()) && cloud == Cloud.AZURE) {
                    // CloudEvents webhook abuse-protection handshake used by Event Grid's CloudEvents schema.
                    return new HttpResponse(200, Map.of("WebHook-Allowed-Origin",
                            req.header("webhook-request-origin").orElse("*"), "WebHook-Allowed-Rate", "*"), null);
                }
                if (!"POST".equals(req.method())) {
                    return HttpResponse.error(405, "use POST");
                }
                Optional<HttpResponse> denied = authorize(req);
                return denied.orElseGet(() -> event(cloud, req));
            }
            if (path.equals("/scan")) {
                if (!"POST".equals(req.method())) {
                    return HttpResponse.error(405, "use POST");
                }
                Optional<HttpResponse> denied = authorize(req);
                return denied.orElseGet(() -> scan(req));
            }
            return HttpResponse.error(404, "no such route: " + req.method() + " " + path);
        } catch (io.cloudwarden.functions.RemediationDispatchException e) {
            // The run's state is saved; the sender's retry redoes it and plan keys keep remediation exactly-once.
            return HttpResponse.error(502, e.getMessage());
        } catch (RuntimeException e) {
            // The cause goes to the function's log; the caller gets no Java class names.
            LOG.log(java.util.logging.Level.SEVERE, "internal error on " + req.method() + " " + req.path(), e);
            return HttpResponse.error(500, "internal error (see the function log)");
        }
    }

    private Optional<HttpResponse> authorize(HttpRequest req) {
        if (auth == Auth.NONE) {
            return loopbackOnly ? Optional.empty() : Optional.of(HttpResponse.error(403, req.path()
                    + " is disabled: no authentication is configured. Set " + TOKEN_KEY + " (callers send "
                    + "Authorization: Bearer <token>), or " + AUTH_KEY + "=platform where the platform authenticates "
                    + "callers (see the README, HTTP authentication)"));
        }
        if (auth == Auth.PLATFORM) {
            return Optional.empty();
        }
        String given = req.header("authorization").orElse("");
        byte[] expected = ("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)) ? Optional.empty()
                : Optional.of(HttpResponse.error(401, "missing or wrong bearer token"));
    }

    private HttpResponse event(Cloud cloud, HttpRequest req) {
        JsonNode envelope;
        try {
            envelope = ModelJson.mapper().readTree(req.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return HttpResponse.error(400, "body: expected JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            return HttpResponse.error(400, "body: unreadable");
        }
        if (envelope == null || envelope.isMissingNode()) {
            return HttpResponse.error(400, "body: expected a JSON event, got an empty body");
        }
        try {
            EventOutcome outcome = events.handle(cloud, withHeaders(envelope, req));
            if (outcome.reply().isPresent()) {
                return HttpResponse.json(200, outcome.reply().get());
            }
            return HttpResponse.json(200, summary(outcome));
        } catch (EventParseException e) {
            return HttpResponse.error(400, e.getMessage());
        } catch (ProviderException e) {
            return HttpResponse.error(502, cloud + " " + e.operation() + " failed: " + e.nativeCode());
        }
    }

    /** What {@code POST /scan} accepts: an empty body or {@code {"clouds": [...], "types": [...]}}, both optional. */
    private record ScanRequest(Set<Cloud> clouds, Set<String> types) {
    }

    /** Parses the /scan body; a message naming the field and what was expected when it is not usable. */
    private ScanRequest scanRequest(byte[] bytes) {
        Set<Cloud> enabled = new LinkedHashSet<>(cw.config().clouds(cw.registry().clouds()));
        if (bytes.length == 0) {
            return new ScanRequest(enabled, Set.of());
        }
        String example = "{\"clouds\":[\"aws\"],\"types\":[\"storage.bucket\"]}";
        JsonNode body;
        try {
            body = ModelJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("body: expected a JSON object like " + example + " (or no body)");
        }
        if (body == null || body.isMissingNode()) {
            return new ScanRequest(enabled, Set.of());
        }
        if (!body.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object like " + example + " but was "
                    + (body.isNull() ? "null" : body.isArray() ? "an array" : "a " + body.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT)));
        }
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("clouds") && !f.equals("types")) {
                throw new IllegalArgumentException(f + ": unknown field (expected clouds and/or types)");
            }
        }
        Set<Cloud> clouds = enabled;
        if (body.has("clouds")) {
            clouds = new LinkedHashSet<>();
            for (String c : strings(body, "clouds", "cloud names (aws, azure, gcp)")) {
                Cloud cloud;
                try {
                    cloud = Cloud.of(c);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("clouds: expected aws, azure or gcp but was '" + c + "'");
                }
                if (!enabled.contains(cloud)) {
                    throw new IllegalArgumentException("clouds: '" + c + "' is not enabled here (enabled: "
                            + enabled.stream().map(Cloud::id).toList() + ")");
                }
                clouds.add(cloud);
            }
            if (clouds.isEmpty()) {
                throw new IllegalArgumentException("clouds: expected at least one cloud (omit the field for all)");
            }
        }
        Set<String> types = new LinkedHashSet<>();
        if (body.has("types")) {
            for (String t : strings(body, "types", "resource types")) {
                if (!ResourceTypes.isKnown(t)) {
                    throw new IllegalArgumentException("types: expected one of " + ResourceTypes.ALL + " but was '"
                            + t + "'");
                }
                types.add(t);
            }
        }
        return new ScanRequest(clouds, types);
    }

    private static List<String> strings(JsonNode body, String field, String what) {
        JsonNode v = body.get(field);
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + ": expected an array of " + what + " but was "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(field + ": expected an array of " + what + " but an element was "
                        + e.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(e.asText());
        }
        return out;
    }

    /**
     * Binary-mode CloudEvents (Eventarc) carry their attributes in {@code ce-*} headers: they are handed to the
     * parser as {@code {"ce-headers": {...}, "data": <body>}}.
     */
    private static JsonNode withHeaders(JsonNode body, HttpRequest req) {
        if (req.header("ce-specversion").isEmpty()) {
            return body;
        }
        ObjectNode wrapped = ModelJson.mapper().createObjectNode();
        ObjectNode ce = wrapped.putObject("ce-headers");
        req.headers().forEach((k, v) -> {
            if (k.startsWith("ce-") && !v.isEmpty()) {
                ce.put(k, v.get(0));
            }
        });
        wrapped.set("data", body);
        return wrapped;
    }

    private HttpResponse scan(HttpRequest req) {
        ScanRequest request;
        try {
            request = scanRequest(req.body());
        } catch (IllegalArgumentException e) {
            return HttpResponse.error(400, e.getMessage());
        }
        Set<Cloud> clouds = request.clouds();
        Set<String> types = request.types();
        String trigger = "http:" + req.header("x-request-id").orElse(cw.clock().instant().toString());
        ScanOutcome outcome = detector.scan(new ArrayList<>(clouds), types, trigger,
                new Actor("service", "http", "http", ""), ScanListener.NONE);
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("takenAt", outcome.snapshot().takenAt().toString());
        out.put("resources", outcome.snapshot().resources().size());
        // The unread scopes and their native error codes; the full messages (which may name SDK exception types)
        // stay in the snapshot and the function log.
        var errors = out.putArray("errors");
        for (io.cloudwarden.model.ScanError e : outcome.snapshot().errors()) {
            errors.addObject().put("cloud", e.cloud().id()).put("account", e.account()).put("region", e.region())
                    .put("type", e.type()).put("code", e.code());
        }
        out.put("findings", outcome.evaluation().findings().size());
        out.put("remediationRequests", outcome.remediation().stream().filter(o -> o.plan().isPresent()).count());
        outcome.guardrailTripped().ifPresent(m -> out.put("guardrailTripped", m));
        return HttpResponse.json(outcome.snapshot().partial() ? 207 : 200, out);
    }

    private static ObjectNode summary(EventOutcome o) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.set("events", ModelJson.mapper().valueToTree(o.events()));
        out.set("ignored", ModelJson.mapper().valueToTree(o.ignored()));
        out.set("duplicates", ModelJson.mapper().valueToTree(o.duplicates()));
        out.set("findings", ModelJson.mapper().valueToTree(o.findings()));
        out.set("drift", ModelJson.mapper().valueToTree(o.drift()));
        out.put("remediationRequests", o.remediation().stream().filter(p -> p.plan().isPresent()).count());
        o.scheduledScan().ifPresent(s -> out.put("scannedResources", s.snapshot().resources().size()));
        return out;
    }
}
