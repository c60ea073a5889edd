package io.cloudwarden.provider.aws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.provider.aws.AwsProvider;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * EventBridge envelopes → resource events: "AWS API Call via CloudTrail", "Config Configuration Item Change" and
 * "Scheduled Event" (aws.events rules and aws.scheduler, whose {@code detail} may be the string {@code "{}"}).
 *
 * <p>Ids equal the collectors' ids. Region convention: S3 buckets carry their own region (CloudTrail records bucket
 * calls in the bucket's region, as the collector's GetBucketLocation does); IAM users and keys carry {@code global}.
 * IAM user ARNs are built as {@code arn:aws:iam::ACCOUNT:user/NAME} unless the event carries the real ARN (users with a
 * path differ; a fetch by ref re-reads them by name and yields the true ARN).
 *
 * <p>Loop guard: events whose session issuer (or principal) ARN is Cloudwarden's remediation role are ignored.
 */
public final class CloudTrailEventParser implements EventParser {
    public static final String CLOUDTRAIL = "AWS API Call via CloudTrail";
    public static final String CONFIG = "Config Configuration Item Change";
    public static final String SCHEDULED = "Scheduled Event";

    private record Handler(AwsType type, boolean deletes) {
    }

    /** eventSource/eventName → the type that declared the call ({@link AwsType#cloudTrailCalls()}). */
    private static Map<String, Handler> handlers(List<AwsType> types) {
        Map<String, Handler> m = new java.util.HashMap<>();
        for (AwsType t : types) {
            for (AwsType.Call c : t.cloudTrailCalls()) {
                Handler previous = m.put(c.key(), new Handler(t, c.deletes()));
                if (previous != null) {
                    throw new IllegalStateException(c.key() + " is declared by both " + previous.type().descriptor()
                            .type() + " and " + t.descriptor().type());
                }
            }
        }
        return Map.copyOf(m);
    }

    /** AWS Config resource type (the descriptor's native type) → the type, for the types Config records. */
    private static Map<String, AwsType> configTypes(List<AwsType> types) {
        Map<String, AwsType> m = new java.util.HashMap<>();
        for (AwsType t : types) {
            m.put(t.descriptor().nativeType(), t);
        }
        return Map.copyOf(m);
    }

    /**
     * Every CloudTrail call this parser acts on, as {@code eventSource/eventName} (e.g.
     * {@code s3.amazonaws.com/PutBucketAcl}): infra/aws subscribes EventBridge to exactly these.
     */
    public static Set<String> handledEventNames() {
        return handlers(AwsProvider.TYPES).keySet();
    }

    /**
     * The AWS Config resource types (descriptors' native types) of the types Config records, i.e. those whose
     * {@link AwsType#idOfConfigItem} names a resource: infra/aws subscribes the Config rule to exactly these.
     */
    public static Set<String> configResourceTypes() {
        Set<String> out = new java.util.TreeSet<>();
        for (AwsType t : AwsProvider.TYPES) {
            if (t.idOfConfigItem(Json.F.objectNode(), "", "").isPresent()) {
                out.add(t.descriptor().nativeType());
            }
        }
        return out;
    }

    /** {@code cloudtrail_events} (event source → sorted event names) and {@code config_resource_types}. */
    @Override
    public Optional<ObjectNode> triggers() {
        ObjectNode out = Json.F.objectNode();
        ObjectNode calls = out.putObject("cloudtrail_events");
        new java.util.TreeSet<>(handledEventNames()).forEach(key -> {
            int slash = key.indexOf('/');
            String source = key.substring(0, slash);
            if (!calls.has(source)) {
                calls.putArray(source);
            }
            ((com.fasterxml.jackson.databind.node.ArrayNode) calls.get(source)).add(key.substring(slash + 1));
        });
        configResourceTypes().forEach(out.putArray("config_resource_types")::add);
        return Optional.of(out);
    }

    private final Optional<String> remediationRoleArn;
    private final Map<String, Handler> handlers;
    private final Map<String, AwsType> configTypes;

    /** Without a loop guard (or with the env var {@code CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN}, when set). */
    public CloudTrailEventParser() {
        this(Optional.ofNullable(System.getenv("CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN")).filter(s -> !s.isBlank()));
    }

    /** @param remediationRoleArn Cloudwarden's own remediation role: its events are ignored (loop guard) */
    public CloudTrailEventParser(Optional<String> remediationRoleArn) {
        this(remediationRoleArn, AwsProvider.TYPES);
    }

    /** @param types the types whose declared calls and Config resource types this parser routes */
    public CloudTrailEventParser(Optional<String> remediationRoleArn, List<AwsType> types) {
        this.remediationRoleArn = remediationRoleArn == null ? Optional.empty() : remediationRoleArn;
        this.handlers = handlers(types);
        this.configTypes = configTypes(types);
    }

    @Override
    public boolean accepts(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return false;
        }
        String source = envelope.path("source").asText("");
        String type = envelope.path("detail-type").asText("");
        return source.startsWith("aws.") && Set.of(CLOUDTRAIL, CONFIG, SCHEDULED).contains(type);
    }

    @Override
    public ParsedEvents parse(JsonNode envelope) {
        String type = required(envelope, "detail-type").asText();
        String source = required(envelope, "source").asText();
        if (type.equals(SCHEDULED) && (source.equals("aws.events") || source.equals("aws.scheduler"))) {
            return ParsedEvents.schedule();
        }
        JsonNode detail = required(envelope, "detail");
        if (!detail.isObject()) {
            throw new EventParseException("/detail", "expected an object for '" + type + "'");
        }
        return switch (type) {
            case CLOUDTRAIL -> cloudTrail(envelope, detail);
            case CONFIG -> config(envelope, detail);
            default -> ParsedEvents.ignored("unhandled detail-type '" + type + "' from " + source);
        };
    }

    private ParsedEvents cloudTrail(JsonNode envelope, JsonNode d) {
        String eventName = required(d, "eventName", "/detail/eventName").asText();
        String eventSource = required(d, "eventSource", "/detail/eventSource").asText();
        String eventId = Json.text(d, "eventID").orElse(envelope.path("id").asText(""));
        if (Json.text(d, "errorCode").isPresent()) {
            return ParsedEvents.ignored(eventName + " " + eventId + " failed with " + d.get("errorCode").asText()
                    + ": nothing changed");
        }
        Handler h = handlers.get(eventSource + "/" + eventName);
        if (h == null) {
            return ParsedEvents.ignored("unhandled CloudTrail event " + eventSource + " " + eventName);
        }
        JsonNode identity = d.path("userIdentity");
        if (remediationRoleArn.isPresent()) {
            String issuer = identity.path("sessionContext").path("sessionIssuer").path("arn").asText("");
            if (remediationRoleArn.get().equals(issuer) || remediationRoleArn.get().equals(identity.path("arn").asText(""))) {
                return ParsedEvents.ignored(eventName + " " + eventId + " was made by Cloudwarden's remediation role "
                        + "(loop guard)");
            }
        }
        Actor actor = actor(identity);
        String account = Json.text(d, "recipientAccountId").orElse(required(envelope, "account").asText());
        String region = Json.text(d, "awsRegion").orElse(envelope.path("region").asText(""));
        Instant time = Json.text(d, "eventTime").map(Instant::parse)
                .orElse(Json.text(envelope, "time").map(Instant::parse).orElse(Instant.EPOCH));
        JsonNode req = d.path("requestParameters");
        JsonNode resp = d.path("responseElements");
        String action = eventSource.replace(".amazonaws.com", "") + ":" + eventName;
        List<ResourceEvent> events = new ArrayList<>();
        String eventRegion = h.type().global() ? Shard.GLOBAL : region;
        for (String id : h.type().idsOf(new AwsType.CallContext(eventName, account, region, req, resp))) {
            events.add(new ResourceEvent(Cloud.AWS, account, eventRegion, h.type().descriptor().type(), id, actor,
                    action, eventId, time, h.deletes()));
        }
        return ParsedEvents.of(events);
    }

    private ParsedEvents config(JsonNode envelope, JsonNode d) {
        JsonNode item = d.has("configurationItem") ? d.get("configurationItem") : d.get("configurationItemSummary");
        if (item == null || !item.isObject()) {
            throw new EventParseException("/detail/configurationItem", "expected the configuration item");
        }
        String resourceType = requiredText(item, "resourceType", "/detail/configurationItem/resourceType");
        String account = Json.text(item, "awsAccountId").orElse(envelope.path("account").asText(""));
        String region = Json.text(item, "awsRegion").orElse(envelope.path("region").asText(""));
        String resourceId = Json.text(item, "resourceId").orElse("");
        String status = Json.text(item, "configurationItemStatus").orElse("OK");
        String changeType = Json.text(d, "configurationItemDiff", "changeType")
                .or(() -> Json.text(item, "changeType")).orElse("UPDATE");
        boolean deleted = "DELETE".equals(changeType) || status.startsWith("ResourceDeleted");
        if (status.equals("ResourceNotRecorded")) {
            return ParsedEvents.ignored("Config item for " + resourceType + " " + resourceId + " is not recorded");
        }
        Instant time = Json.text(item, "configurationItemCaptureTime").map(Instant::parse)
                .orElse(Json.text(envelope, "time").map(Instant::parse).orElse(Instant.EPOCH));
        String eventId = envelope.path("id").asText("");
        String action = "config:" + changeType;
        AwsType t = configTypes.get(resourceType);
        Optional<String> configId = t == null ? Optional.empty() : t.idOfConfigItem(item, account, region);
        if (configId.isEmpty()) {
            return ParsedEvents.ignored("unhandled Config resource type " + resourceType);
        }
        String type = t.descriptor().type();
        String id = configId.get();
        String r = t.global() ? Shard.GLOBAL : region;
        return ParsedEvents.of(List.of(new ResourceEvent(Cloud.AWS, account, r, type, id, Actor.UNKNOWN, action,
                eventId, time, deleted)));
    }

    /** userIdentity → actor; an assumed role is the role (session issuer) with the session name in {@code via}. */
    static Actor actor(JsonNode id) {
        String type = id.path("type").asText("");
        switch (type) {
            case "AssumedRole" -> {
                JsonNode issuer = id.path("sessionContext").path("sessionIssuer");
                String arn = id.path("arn").asText("");
                String session = arn.contains("/") ? arn.substring(arn.lastIndexOf('/') + 1) : "";
                return new Actor("role", issuer.path("arn").asText(arn), issuer.path("userName").asText(""),
                        session);
            }
            case "IAMUser" -> {
                return new Actor("user", id.path("arn").asText(""), id.path("userName").asText(""), "");
            }
            case "Root" -> {
                return new Actor("user", id.path("arn").asText(""), "root", "");
            }
            case "AWSService" -> {
                return new Actor("service", id.path("invokedBy").asText(""), id.path("invokedBy").asText(""), "");
            }
            case "FederatedUser" -> {
                JsonNode issuer = id.path("sessionContext").path("sessionIssuer");
                return new Actor("user", id.path("arn").asText(""), id.path("principalId").asText(""),
                        issuer.path("arn").asText(""));
            }
            default -> {
                if (id.isMissingNode() || id.isNull()) {
                    return Actor.UNKNOWN;
                }
                return new Actor("unknown", id.path("arn").asText(""), id.path("userName").asText(""), type);
            }
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        return required(node, field, "/" + field);
    }

    private static JsonNode required(JsonNode node, String field, String pointer) {
        JsonNode n = node == null ? null : node.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            throw new EventParseException(pointer, "required field is missing");
        }
        return n;
    }

    /** The text at {@code field}, else an {@link EventParseException} naming {@code pointer}. */
    public static String requiredText(JsonNode node, String field, String pointer) {
        return Json.text(node, field).orElseThrow(() -> new EventParseException(pointer, "required field is missing"));
    }
}
