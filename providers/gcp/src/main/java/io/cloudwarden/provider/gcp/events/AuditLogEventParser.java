package io.cloudwarden.provider.gcp.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
        Optional<Target> target = target(service, method, resourceName, project, p);
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
        String region = p.path("resourceLocation").path("currentLocations").path(0).asText(target.get().region());
        ResourceEvent event = new ResourceEvent(Cloud.GCP, project, region, target.get().type(), target.get().id(),
                actor, service + ":" + method, insertId.isEmpty() ? deliveryId : insertId, time,
                verb.startsWith("delete"));
        return ParsedEvents.of(List.of(event));
    }

    private record Target(String type, String id, String region) {
    }

    /** Method → the normalized resource it changes and its CAI id. */
    private static Optional<Target> target(String service, String method, String resourceName, String project,
            JsonNode payload) {
        switch (service) {
            case "storage.googleapis.com" -> {
                if (method.startsWith("storage.buckets.") || method.equals("storage.setIamPermissions")) {
                    return GcpIds.segment(resourceName, "buckets").filter(b -> !resourceName.contains("/objects/"))
                            .map(b -> new Target(ResourceTypes.STORAGE_BUCKET, GcpIds.bucket(b), ""));
                }
                return Optional.empty();
            }
            case "compute.googleapis.com" -> {
                String m = method.replaceFirst("^(v1|beta|alpha)\\.", "");
                if (m.startsWith("compute.firewalls.")) {
                    return Optional.of(new Target(ResourceTypes.NETWORK_FIREWALL,
                            GcpIds.firewall(orProject(resourceName, project), GcpIds.last(resourceName)),
                            GcpIds.GLOBAL));
                }
                if (m.startsWith("compute.instances.")) {
                    Optional<String> zone = GcpIds.segment(resourceName, "zones");
                    return zone.map(z -> new Target(ResourceTypes.COMPUTE_INSTANCE,
                            GcpIds.instance(orProject(resourceName, project), z, GcpIds.last(resourceName)), z));
                }
                return Optional.empty();
            }
            case "iam.googleapis.com" -> {
                String verb = GcpIds.last(method.replace('.', '/'));
                // CAI names accounts by unique id; an email-named resource is resolved through the response
                Optional<String> account = GcpIds.segment(resourceName, "serviceAccounts").map(a -> !a.contains("@")
                        ? a : payload.path("response").path("unique_id").asText(
                                payload.path("response").path("uniqueId").asText("")))
                        .filter(a -> !a.isEmpty());
                if (account.isEmpty()) {
                    return Optional.empty();
                }
                if (verb.endsWith("ServiceAccountKey")) {
                    String keyId = GcpIds.segment(resourceName, "keys")
                            .orElse(GcpIds.last(payload.path("response").path("name").asText("")));
                    if (keyId.isEmpty() || keyId.equals(account.get())) {
                        return Optional.empty();
                    }
                    return Optional.of(new Target(ResourceTypes.IDENTITY_KEY,
                            GcpIds.serviceAccountKey(project, account.get(), keyId), GcpIds.GLOBAL));
                }
                if (verb.endsWith("ServiceAccount")) {
                    return Optional.of(new Target(ResourceTypes.IDENTITY_USER,
                            GcpIds.serviceAccount(project, account.get()), GcpIds.GLOBAL));
                }
                return Optional.empty();
            }
            case "cloudkms.googleapis.com" -> {
                int i = resourceName.indexOf("/cryptoKeys/");
                if (i < 0) {
                    return Optional.empty();
                }
                int end = resourceName.indexOf('/', i + "/cryptoKeys/".length());
                String key = end < 0 ? resourceName : resourceName.substring(0, end);
                return Optional.of(new Target(ResourceTypes.KMS_KEY, GcpIds.cryptoKey(key),
                        GcpIds.segment(key, "locations").orElse("")));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static String orProject(String resourceName, String project) {
        return GcpIds.segment(resourceName, "projects").orElse(project);
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
