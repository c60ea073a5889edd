package io.cloudwarden.provider.gcp.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpProvider;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.GcpType.AuditEntry;
import io.cloudwarden.provider.gcp.GcpType.Method;
import io.cloudwarden.provider.gcp.GcpType.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cloud Audit Log entries ({@code LogEntry} with an {@code AuditLog} {@code protoPayload}) → resource events.
 * Accepted envelopes:
 * <ol>
 * <li>Eventarc CloudEvent, structured mode: {@code {"specversion", "type": "google.cloud.audit.log.v1.written",
 * "source", "id", "data": LogEntry}}.</li>
 * <li>Eventarc CloudEvent, binary mode, as the HTTP adapter hands it over: {@code {"ce-headers": {"ce-id": ...,
 * "ce-type": ..., "ce-source": ..., "ce-specversion": ..., ...}, "data": LogEntry}} ({@code ce-headers} holds the
 * request's {@code ce-*} headers, names compared case-insensitively; {@code data} is the parsed body, or the raw
 * body as a JSON string).</li>
 * <li>Pub/Sub push from a log sink: {@code {"message": {"data": base64(LogEntry), "messageId", ...},
 * "subscription"}}, also when wrapped by Eventarc as a {@code google.cloud.pubsub.topic.v1.messagePublished}
 * CloudEvent.</li>
 * </ol>
 * The event id is the entry's {@code insertId} (the same entry delivered through two paths dedupes to one id),
 * falling back to the CloudEvent id / Pub/Sub message id. Failed calls (non-zero {@code protoPayload.status.code}),
 * read-only methods, the first entry of a long-running operation (its last entry is the one acted on) and methods
 * that change none of the supported resources are ignored with a reason.
 */
public final class AuditLogEventParser implements EventParser {
    public static final String AUDIT_TYPE = "google.cloud.audit.log.v1.written";
    public static final String PUBSUB_TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

    private static final List<String> READ_ONLY_PREFIXES = List.of("get", "list", "aggregatedlist", "search",
            "testiampermissions", "batchget", "lookup", "query", "export", "encrypt", "decrypt", "asymmetricsign",
            "asymmetricdecrypt", "macsign", "macverify");

    private final Map<String, List<GcpType>> routes;

    /** Routes the audit-logged methods of {@link GcpProvider#TYPES}. */
    public AuditLogEventParser() {
        this(GcpProvider.TYPES);
    }

    /** @param types the types whose declared services this parser routes */
    public AuditLogEventParser(List<GcpType> types) {
        this.routes = routes(types);
    }

    @Override
    public boolean accepts(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return false;
        }
        if (envelope.has("ce-headers")) {
            String type = header(envelope.path("ce-headers"), "ce-type").orElse("");
            return AUDIT_TYPE.equals(type) || PUBSUB_TYPE.equals(type);
        }
        if (envelope.has("specversion")) {
            String type = envelope.path("type").asText("");
            return AUDIT_TYPE.equals(type) || PUBSUB_TYPE.equals(type);
        }
        return envelope.path("message").isObject() && envelope.has("subscription");
    }

    @Override
    public ParsedEvents parse(JsonNode envelope) {
        if (envelope.has("ce-headers")) {
            JsonNode headers = envelope.path("ce-headers");
            String type = header(headers, "ce-type").orElseThrow(() ->
                    new EventParseException("ce-headers.ce-type", "missing CloudEvent type header"));
            String id = header(headers, "ce-id").orElseThrow(() ->
                    new EventParseException("ce-headers.ce-id", "missing CloudEvent id header"));
            return fromCloudEvent(type, id, envelope.path("data"), "data");
        }
        if (envelope.has("specversion")) {
            String id = text(envelope, "id", "id");
            return fromCloudEvent(envelope.path("type").asText(), id, envelope.path("data"), "data");
        }
        return fromPubSub(envelope, "");
    }

    private ParsedEvents fromCloudEvent(String type, String id, JsonNode data, String field) {
        if (PUBSUB_TYPE.equals(type)) {
            return fromPubSub(data, field + ".");
        }
        if (!AUDIT_TYPE.equals(type)) {
            return ParsedEvents.ignored("CloudEvent type " + type + " is not a Cloud Audit Log entry");
        }
        JsonNode entry = data;
        if (data.isTextual()) {
            // binary mode: an adapter may pass the HTTP body through unparsed
            try {
                entry = ModelJson.mapper().readTree(data.asText());
            } catch (JsonProcessingException e) {
                throw new EventParseException(field, "expected the LogEntry JSON but the body is not JSON");
            }
        }
        if (entry == null || !entry.isObject()) {
            throw new EventParseException(field, "expected the LogEntry JSON object");
        }
        return fromLogEntry(entry, id, field);
    }

    private ParsedEvents fromPubSub(JsonNode push, String prefix) {
        JsonNode message = push.path("message");
        if (!message.isObject()) {
            throw new EventParseException(prefix + "message", "expected the Pub/Sub message object");
        }
        String encoded = text(message, "data", prefix + "message.data");
        String messageId = message.path("messageId").asText(message.path("message_id").asText(""));
        JsonNode entry;
        try {
            byte[] decoded = Base64.getDecoder().decode(encoded.trim());
            entry = ModelJson.mapper().readTree(new String(decoded, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new EventParseException(prefix + "message.data", "expected base64 but it does not decode");
        } catch (JsonProcessingException e) {
            throw new EventParseException(prefix + "message.data", "expected base64 of a LogEntry JSON object "
                    + "but the decoded bytes are not JSON");
        }
        if (entry == null || !entry.isObject()) {
            throw new EventParseException(prefix + "message.data", "expected base64 of a LogEntry JSON object");
        }
        return fromLogEntry(entry, messageId, prefix + "message.data");
    }

    private ParsedEvents fromLogEntry(JsonNode entry, String deliveryId, String field) {
        JsonNode p = entry.path("protoPayload");
        if (!p.isObject()) {
            throw new EventParseException(field + ".protoPayload", "expected the AuditLog object");
        }
        String service = text(p, "serviceName", field + ".protoPayload.serviceName");
        String method = text(p, "methodName", field + ".protoPayload.methodName");
        String resourceName = text(p, "resourceName", field + ".protoPayload.resourceName");
        int status = p.path("status").path("code").asInt(0);
        if (status != 0) {
            return ParsedEvents.ignored(method + " on " + resourceName + " failed (status code " + status
                    + "): nothing changed");
        }
        JsonNode operation = entry.path("operation");
        if (operation.path("first").asBoolean(false) && !operation.path("last").asBoolean(false)) {
            // long-running operations (Compute) log a first and a last entry; the resource is re-read once the
            // operation has finished, so only the last entry is acted on
            return ParsedEvents.ignored(method + " on " + resourceName + " started operation "
                    + operation.path("id").asText("") + ": acting on its last entry");
        }
        String verb = verb(method);
        for (String prefix : READ_ONLY_PREFIXES) {
            if (verb.startsWith(prefix)) {
                return ParsedEvents.ignored(method + " is read-only: nothing changed");
            }
        }
        String project = entry.path("resource").path("labels").path("project_id").asText("");
        if (project.isEmpty()) {
            project = GcpIds.segment(resourceName, "projects").filter(s -> !"_".equals(s) && !"-".equals(s))
                    .orElse("");
        }
        Optional<Routed> target = target(new AuditEntry(service, method, resourceName, project, p));
        if (target.isEmpty()) {
            return ParsedEvents.ignored(service + " " + method + " changes no resource type Cloudwarden tracks");
        }
        String email = p.path("authenticationInfo").path("principalEmail").asText("");
        if (email.isEmpty()) {
            email = p.path("authenticationInfo").path("principalSubject").asText("");
        }
        Actor actor = email.isEmpty() ? Actor.UNKNOWN
                : new Actor(email.endsWith(".gserviceaccount.com") ? "service" : "user", email, email,
                        p.path("authenticationInfo").path("serviceAccountDelegationInfo").isEmpty() ? ""
                                : "impersonation");
        String insertId = entry.path("insertId").asText("");
        Instant time = time(entry, field);
        String region = p.path("resourceLocation").path("currentLocations").path(0).asText(target.get().target().region());
        ResourceEvent event = new ResourceEvent(Cloud.GCP, project, region, target.get().type(),
                target.get().target().id(),
                actor, service + ":" + method, insertId.isEmpty() ? deliveryId : insertId, time,
                verb.startsWith("delete"));
        return ParsedEvents.of(List.of(event));
    }

    private record Routed(String type, Target target) {
    }

    /** serviceName → the types declaring methods of it ({@link GcpType#auditLogMethods()}), in declaration order. */
    private static Map<String, List<GcpType>> routes(List<GcpType> types) {
        Map<String, List<GcpType>> m = new LinkedHashMap<>();
        Set<Method> seen = new HashSet<>();
        for (GcpType t : types) {
            for (Method method : t.auditLogMethods()) {
                if (!seen.add(method)) {
                    throw new IllegalStateException(method.service() + " " + method.name()
                            + " is declared by two types (the second: " + t.descriptor().type() + ")");
                }
                List<GcpType> of = m.computeIfAbsent(method.service(), k -> new ArrayList<>());
                if (!of.contains(t)) {
                    of.add(t);
                }
            }
        }
        Map<String, List<GcpType>> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }

    /**
     * Every audit-logged method the declared types subscribe to, by service (sorted): infra/gcp creates one Eventarc
     * trigger per method.
     */
    public static Map<String, List<String>> handledMethods() {
        Map<String, List<String>> out = new TreeMap<>();
        for (GcpType t : GcpProvider.TYPES) {
            t.auditLogMethods().forEach(m -> out.computeIfAbsent(m.service(), k -> new ArrayList<>()).add(m.name()));
        }
        out.replaceAll((k, v) -> v.stream().sorted().toList());
        return out;
    }

    /** {@code audit_method_list}: service → sorted method names. */
    @Override
    public Optional<ObjectNode> triggers() {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        ObjectNode methods = out.putObject("audit_method_list");
        handledMethods().forEach((service, names) -> names.forEach(methods.putArray(service)::add));
        return Optional.of(out);
    }

    /** The first type of the entry's service that names a resource it changed. */
    private Optional<Routed> target(AuditEntry entry) {
        for (GcpType t : routes.getOrDefault(entry.service(), List.of())) {
            Optional<Target> target = t.idOf(entry);
            if (target.isPresent()) {
                return Optional.of(new Routed(t.descriptor().type(), target.get()));
            }
        }
        return Optional.empty();
    }

    /** The method's verb, lower-cased: {@code v1.compute.firewalls.insert} → insert, {@code …GetIamPolicy} → get… */
    static String verb(String method) {
        String last = method.substring(method.lastIndexOf('.') + 1);
        return last.toLowerCase(Locale.ROOT);
    }

    private static Instant time(JsonNode entry, String field) {
        String t = entry.path("timestamp").asText("");
        if (t.isEmpty()) {
            throw new EventParseException(field + ".timestamp", "expected the entry's RFC 3339 timestamp");
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new EventParseException(field + ".timestamp", "expected an RFC 3339 time but was '" + t + "'");
        }
    }

    private static String text(JsonNode node, String name, String field) {
        JsonNode v = node.path(name);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new EventParseException(field, "expected a non-empty string");
        }
        return v.asText();
    }

    private static Optional<String> header(JsonNode headers, String name) {
        Iterator<Map.Entry<String, JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().asText("").isBlank()) {
                return Optional.of(e.getValue().asText());
            }
        }
        return Optional.empty();
    }
}
