package io.cloudwarden.provider.azure.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.provider.azure.AzureProvider;
import io.cloudwarden.provider.azure.AzureType;
import io.cloudwarden.provider.azure.AzureType.ArmResource;
import io.cloudwarden.provider.azure.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Event Grid deliveries of Azure Resource Manager events, in the Event Grid schema (a JSON array of events with
 * {@code eventType}/{@code eventTime}) and in the CloudEvents 1.0 schema (one event with {@code specversion}, or a
 * batch array of them; {@code type}/{@code time}/{@code source}).
 *
 * <p>{@code ResourceWriteSuccess}, {@code ResourceDeleteSuccess} and {@code ResourceActionSuccess} become resource
 * events; an event on a child resource (a blob container, an NSG rule, a VM extension) names the parent resource the
 * normalized type describes. {@code *Failure} / {@code *Cancel} and unmapped ARM types are ignored with a reason. The
 * {@code Microsoft.EventGrid.SubscriptionValidationEvent} handshake is answered with {@code validationResponse}.
 * Region is not in ARM events and is left empty (the collector's fetch reads the resource's location).
 */
public final class EventGridEventParser implements EventParser {
    static final String VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";
    static final String CLAIM_UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    static final String CLAIM_OID = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    static final String CLAIM_NAME = "name";
    private static final String RESOURCE = "Microsoft.Resources.Resource";

    private final Map<String, AzureType> routes;

    /** Routes the ARM resource types of {@link AzureProvider#TYPES}. */
    public EventGridEventParser() {
        this(AzureProvider.TYPES);
    }

    /** @param types the types whose declared ARM resource types this parser routes */
    public EventGridEventParser(List<AzureType> types) {
        this.routes = routes(types);
    }

    @Override
    public boolean accepts(JsonNode envelope) {
        JsonNode first = envelope != null && envelope.isArray() && envelope.size() > 0 ? envelope.get(0) : envelope;
        if (first == null || !first.isObject()) {
            return false;
        }
        String type = first.has("specversion") ? first.path("type").asText("") : first.path("eventType").asText("");
        return type.startsWith("Microsoft.Resources.") || type.equals(VALIDATION);
    }

    @Override
    public ParsedEvents parse(JsonNode envelope) {
        if (envelope == null || !(envelope.isArray() || envelope.isObject())) {
            throw new EventParseException("$", "expected an Event Grid event array or a CloudEvent object");
        }
        List<JsonNode> items = new ArrayList<>();
        if (envelope.isArray()) {
            envelope.forEach(items::add);
        } else {
            items.add(envelope);
        }
        if (items.isEmpty()) {
            throw new EventParseException("$", "expected at least one event in the delivery");
        }
        List<ResourceEvent> events = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode e = items.get(i);
            String at = envelope.isArray() ? "[" + i + "]." : "";
            if (!e.isObject()) {
                throw new EventParseException(at.isEmpty() ? "$" : at.substring(0, at.length() - 1), "expected an event object");
            }
            boolean cloudEvent = e.has("specversion");
            String type = required(e, cloudEvent ? "type" : "eventType", at);
            if (type.equals(VALIDATION)) {
                String code = required(e.path("data"), "validationCode", at + "data.");
                ObjectNode reply = Json.nodes().objectNode();
                reply.put("validationResponse", code);
                return ParsedEvents.reply(reply);
            }
            if (!type.startsWith(RESOURCE)) {
                ignored.add(at + "event type " + type + " is not an ARM resource event");
                continue;
            }
            String outcome = type.substring(RESOURCE.length());
            if (outcome.endsWith("Failure") || outcome.endsWith("Cancel")) {
                ignored.add(at + type + ": the operation did not succeed (" + text(e, "id") + ")");
                continue;
            }
            if (!outcome.endsWith("Success")) {
                ignored.add(at + "unhandled ARM event type " + type);
                continue;
            }
            String id = required(e, "id", at);
            JsonNode data = e.path("data");
            if (!data.isObject()) {
                throw new EventParseException(at + "data", "expected the ARM event data object");
            }
            String resourceUri = text(data, "resourceUri");
            if (resourceUri.isEmpty()) {
                resourceUri = required(e, "subject", at);
            }
            Optional<Mapped> mapped = map(resourceUri);
            if (mapped.isEmpty()) {
                ignored.add(at + "resource type of " + resourceUri + " is not a type Cloudwarden normalizes");
                continue;
            }
            String subscription = text(data, "subscriptionId");
            if (subscription.isEmpty()) {
                subscription = io.cloudwarden.provider.azure.ArmId.subscription(resourceUri).orElseThrow(
                        () -> new EventParseException(at + "data.subscriptionId", "missing and not in the resource id"));
            }
            String operation = text(data, "operationName");
            if (operation.isEmpty()) {
                operation = type;
            }
            boolean deleted = outcome.equals("DeleteSuccess") && mapped.get().self();
            String timeField = cloudEvent ? "time" : "eventTime";
            Instant time = time(e, timeField, at);
            events.add(new ResourceEvent(Cloud.AZURE, subscription, "", mapped.get().type(), mapped.get().id(),
                    actor(data), operation, id, time, deleted));
        }
        return new ParsedEvents(events, ignored, false, Optional.empty());
    }

    /** The normalized type and the id of the resource it describes; {@code self} = the event names it directly. */
    record Mapped(String type, String id, boolean self) {
    }

    /** lower-cased ARM {@code namespace/type} → the type that declared it ({@link AzureType#armResourceTypes()}). */
    private static Map<String, AzureType> routes(List<AzureType> types) {
        Map<String, AzureType> m = new HashMap<>();
        for (AzureType t : types) {
            for (String arm : t.armResourceTypes()) {
                AzureType previous = m.put(arm.toLowerCase(Locale.ROOT), t);
                if (previous != null) {
                    throw new IllegalStateException(arm + " is declared by both " + previous.descriptor().type()
                            + " and " + t.descriptor().type());
                }
            }
        }
        return Map.copyOf(m);
    }

    /** The ARM event types acted on: infra/azure subscribes Event Grid to exactly these. */
    public static List<String> handledEventTypes() {
        return List.of(RESOURCE + "ActionSuccess", RESOURCE + "DeleteSuccess", RESOURCE + "WriteSuccess");
    }

    /**
     * The subject fragments ({@code /providers/Namespace/type/}) of the ARM resource types the declared types route:
     * infra/azure filters the Event Grid subscription to subjects containing one of these.
     */
    public static List<String> handledSubjectFragments() {
        return AzureProvider.TYPES.stream().flatMap(t -> t.armResourceTypes().stream())
                .map(arm -> "/providers/" + arm + "/").sorted().toList();
    }

    /** {@code handled_event_types} and {@code handled_subject_fragments}, both sorted. */
    @Override
    public Optional<ObjectNode> triggers() {
        ObjectNode out = Json.nodes().objectNode();
        handledEventTypes().stream().sorted().forEach(out.putArray("handled_event_types")::add);
        handledSubjectFragments().forEach(out.putArray("handled_subject_fragments")::add);
        return Optional.of(out);
    }

    Optional<Mapped> map(String resourceUri) {
        return ArmResource.parse(resourceUri).flatMap(r -> {
            AzureType t = routes.get(r.armType());
            return t == null ? Optional.empty()
                    : t.idOf(r).map(target -> new Mapped(t.descriptor().type(), target.id(), target.self()));
        });
    }

    static Actor actor(JsonNode data) {
        JsonNode claims = data.path("claims");
        JsonNode evidence = data.path("authorization").path("evidence");
        String oid = text(claims, CLAIM_OID);
        if (oid.isEmpty()) {
            oid = text(evidence, "principalId");
        }
        String upn = text(claims, CLAIM_UPN);
        String name = !upn.isEmpty() ? upn : text(claims, CLAIM_NAME);
        String appid = text(claims, "appid");
        String principalType = text(evidence, "principalType");
        String kind;
        if (!upn.isEmpty() || principalType.equalsIgnoreCase("User")) {
            kind = "user";
        } else if (principalType.equalsIgnoreCase("ServicePrincipal") || principalType.equalsIgnoreCase("MSI")
                || !appid.isEmpty()) {
            kind = "service";
        } else if (oid.isEmpty()) {
            return Actor.UNKNOWN;
        } else {
            kind = "unknown";
        }
        return new Actor(kind, oid, name, appid.isEmpty() ? "" : "appid:" + appid);
    }

    private static Instant time(JsonNode e, String field, String at) {
        String t = text(e, field);
        if (t.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ex) {
            throw new EventParseException(at + field, "expected an RFC 3339 timestamp but was '" + t + "'");
        }
    }

    private static String required(JsonNode node, String field, String at) {
        String v = text(node, field);
        if (v.isEmpty()) {
            throw new EventParseException(at + field, "missing or empty");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.path(field);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }
}
