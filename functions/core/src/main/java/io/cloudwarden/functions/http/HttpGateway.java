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
import io.cloudwarden.functions.Outcomes;
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
 * chatops routes registered with {@link #route}. When {@code cloudwarden.http.token} is configured, {@code /scan}
 * and {@code /events/*} require {@code Authorization: Bearer <token>} (chatops routes verify their own signatures).
 * Bodies over 1 MiB are refused with 413. Errors never leak stack traces.
 */
public final class HttpGateway {
    public static final int MAX_BODY = 1024 * 1024;

    private final Cloudwarden cw;
    private final Detector detector;
    private final EventHandler events;
    private final Map<String, HttpHandler> routes = new HashMap<>();
    private final Optional<String> token;

    public HttpGateway(Cloudwarden cw, Detector detector, EventHandler events) {
        this.cw = cw;
        this.detector = detector;
        this.events = events;
        this.token = cw.config().get("cloudwarden.http.token");
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
                return "GET".equals(req.method()) ? HttpResponse.json(200, Map.of("status", "UP",
                        "checks", List.of(Map.of("name", "state", "status", "UP", "store", cw.store().describe()))))
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
            return HttpResponse.error(500, "internal error (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Optional<HttpResponse> authorize(HttpRequest req) {
        if (token.isEmpty()) {
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
        Set<Cloud> clouds = new LinkedHashSet<>(cw.config().clouds(cw.registry().clouds()));
        Set<String> types = new LinkedHashSet<>();
        if (req.body().length > 0) {
            try {
                JsonNode body = ModelJson.mapper().readTree(req.body());
                if (body.has("clouds")) {
                    clouds.clear();
                    for (JsonNode c : body.get("clouds")) {
                        clouds.add(Cloud.of(c.asText()));
                    }
                }
                for (JsonNode t : body.path("types")) {
                    if (!ResourceTypes.isKnown(t.asText())) {
                        return HttpResponse.error(400, "types: expected one of " + ResourceTypes.ALL + " but was '"
                                + t.asText() + "'");
                    }
                    types.add(t.asText());
                }
            } catch (IOException e) {
                return HttpResponse.error(400, "body: expected JSON like {\"clouds\":[\"aws\"]}");
            } catch (IllegalArgumentException e) {
                return HttpResponse.error(400, "clouds: " + e.getMessage());
            }
        }
        String trigger = "http:" + req.header("x-request-id").orElse(cw.clock().instant().toString());
        ScanOutcome outcome = detector.scan(new ArrayList<>(clouds), types, trigger,
                new Actor("service", "http", "http", ""), ScanListener.NONE);
        ObjectNode out = Outcomes.scan(outcome);
        return HttpResponse.json(outcome.snapshot().partial() ? 207 : 200, out);
    }

    private static ObjectNode summary(EventOutcome o) {
        return Outcomes.event(o);
    }
}
