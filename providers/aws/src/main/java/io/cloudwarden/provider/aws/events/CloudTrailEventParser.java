package io.cloudwarden.provider.aws.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.compute.instance.InstanceCollector;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupCollector;
import io.cloudwarden.provider.aws.storage.bucket.BucketCollector;
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

    private enum Kind { BUCKET, SG, INSTANCES, USER, KEY, KMS }

    private record Handler(Kind kind, boolean deletes) {
    }

    private static final Map<String, Handler> HANDLERS = handlers();

    private static Map<String, Handler> handlers() {
        Map<String, Handler> m = new java.util.HashMap<>();
        for (String n : List.of("PutBucketPolicy", "DeleteBucketPolicy", "PutBucketAcl", "PutBucketPublicAccessBlock",
                "DeleteBucketPublicAccessBlock", "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketVersioning",
                "PutBucketLogging", "DeleteBucketLogging", "PutBucketTagging", "DeleteBucketTagging", "CreateBucket")) {
            m.put("s3.amazonaws.com/" + n, new Handler(Kind.BUCKET, false));
        }
        m.put("s3.amazonaws.com/DeleteBucket", new Handler(Kind.BUCKET, true));
        for (String n : List.of("CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "ModifySecurityGroupRules",
                "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress")) {
            m.put("ec2.amazonaws.com/" + n, new Handler(Kind.SG, false));
        }
        m.put("ec2.amazonaws.com/DeleteSecurityGroup", new Handler(Kind.SG, true));
        m.put("ec2.amazonaws.com/RunInstances", new Handler(Kind.INSTANCES, false));
        m.put("ec2.amazonaws.com/ModifyInstanceMetadataOptions", new Handler(Kind.INSTANCES, false));
        m.put("ec2.amazonaws.com/TerminateInstances", new Handler(Kind.INSTANCES, true));
        for (String n : List.of("CreateUser", "UpdateUser", "AttachUserPolicy", "DetachUserPolicy", "PutUserPolicy",
                "DeleteUserPolicy", "CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
                "EnableMFADevice", "DeactivateMFADevice", "AddUserToGroup", "RemoveUserFromGroup", "TagUser",
                "UntagUser")) {
            m.put("iam.amazonaws.com/" + n, new Handler(Kind.USER, false));
        }
        m.put("iam.amazonaws.com/DeleteUser", new Handler(Kind.USER, true));
        m.put("iam.amazonaws.com/CreateAccessKey", new Handler(Kind.KEY, false));
        m.put("iam.amazonaws.com/UpdateAccessKey", new Handler(Kind.KEY, false));
        m.put("iam.amazonaws.com/DeleteAccessKey", new Handler(Kind.KEY, true));
        for (String n : List.of("CreateKey", "EnableKey", "DisableKey", "EnableKeyRotation", "DisableKeyRotation",
                "ScheduleKeyDeletion", "CancelKeyDeletion", "TagResource", "UntagResource")) {
            m.put("kms.amazonaws.com/" + n, new Handler(Kind.KMS, false));
        }
        return Map.copyOf(m);
    }

    /**
     * Every CloudTrail call this parser acts on, as {@code eventSource/eventName} (e.g.
     * {@code s3.amazonaws.com/PutBucketAcl}): infra/aws subscribes EventBridge to exactly these.
     */
    public static Set<String> handledEventNames() {
        return HANDLERS.keySet();
    }

    private final Optional<String> remediationRoleArn;

    /** Without a loop guard (or with the env var {@code CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN}, when set). */
    public CloudTrailEventParser() {
        this(Optional.ofNullable(System.getenv("CLOUDWARDEN_AWS_REMEDIATION_ROLE_ARN")).filter(s -> !s.isBlank()));
    }

    /** @param remediationRoleArn Cloudwarden's own remediation role: its events are ignored (loop guard) */
    public CloudTrailEventParser(Optional<String> remediationRoleArn) {
        this.remediationRoleArn = remediationRoleArn == null ? Optional.empty() : remediationRoleArn;
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
        Handler h = HANDLERS.get(eventSource + "/" + eventName);
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
        switch (h.kind()) {
            case BUCKET -> {
                String bucket = requiredText(req, "bucketName", "/detail/requestParameters/bucketName");
                events.add(new ResourceEvent(Cloud.AWS, account, region, ResourceTypes.STORAGE_BUCKET,
                        BucketCollector.arn(bucket), actor, action, eventId, time, h.deletes()));
            }
            case SG -> {
                String groupId = Json.text(req, "groupId")
                        .or(() -> Json.text(req, "ModifySecurityGroupRulesRequest", "GroupId"))
                        .or(() -> Json.text(resp, "groupId"))
                        .orElseThrow(() -> new EventParseException("/detail/requestParameters/groupId",
                                "expected the security group id of " + eventName));
                events.add(new ResourceEvent(Cloud.AWS, account, region, ResourceTypes.NETWORK_FIREWALL,
                        SecurityGroupCollector.arn(region, account, groupId), actor, action, eventId, time,
                        h.deletes()));
            }
            case INSTANCES -> {
                List<String> ids = new ArrayList<>();
                JsonNode set = eventName.equals("RunInstances") ? resp.path("instancesSet") : req.path("instancesSet");
                Json.array(set, "items").forEach(i -> Json.text(i, "instanceId").ifPresent(ids::add));
                Json.text(req, "instanceId").or(() -> Json.text(req, "ModifyInstanceMetadataOptionsRequest",
                        "InstanceId")).ifPresent(ids::add);
                if (ids.isEmpty()) {
                    throw new EventParseException(eventName.equals("RunInstances")
                            ? "/detail/responseElements/instancesSet" : "/detail/requestParameters/instancesSet",
                            "expected the instance id(s) of " + eventName);
                }
                for (String id : ids) {
                    events.add(new ResourceEvent(Cloud.AWS, account, region, ResourceTypes.COMPUTE_INSTANCE,
                            InstanceCollector.arn(region, account, id), actor, action, eventId, time, h.deletes()));
                }
            }
            case USER -> {
                String arn = Json.text(resp, "user", "arn").orElseGet(() -> "arn:aws:iam::" + account + ":user/"
                        + requiredText(req, "userName", "/detail/requestParameters/userName"));
                events.add(new ResourceEvent(Cloud.AWS, account, Shard.GLOBAL, ResourceTypes.IDENTITY_USER, arn,
                        actor, action, eventId, time, h.deletes()));
            }
            case KEY -> {
                String keyId = Json.text(resp, "accessKey", "accessKeyId").or(() -> Json.text(req, "accessKeyId"))
                        .orElseThrow(() -> new EventParseException(eventName.equals("CreateAccessKey")
                                ? "/detail/responseElements/accessKey/accessKeyId"
                                : "/detail/requestParameters/accessKeyId", "expected the access key id"));
                events.add(new ResourceEvent(Cloud.AWS, account, Shard.GLOBAL, ResourceTypes.IDENTITY_KEY, keyId,
                        actor, action, eventId, time, h.deletes()));
            }
            case KMS -> {
                String key = Json.text(resp, "keyMetadata", "arn").or(() -> Json.text(req, "keyId"))
                        .orElseThrow(() -> new EventParseException("/detail/requestParameters/keyId",
                                "expected the KMS key id of " + eventName));
                String arn = key.startsWith("arn:") ? key : "arn:aws:kms:" + region + ":" + account + ":key/" + key;
                events.add(new ResourceEvent(Cloud.AWS, account, region, ResourceTypes.KMS_KEY, arn, actor, action,
                        eventId, time, h.deletes()));
            }
            default -> throw new IllegalStateException(h.kind().name());
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
        Optional<String> arn = Json.text(item, "ARN").or(() -> Json.text(item, "arn"));
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
        String type;
        String id;
        String r = region;
        switch (resourceType) {
            case "AWS::S3::Bucket" -> {
                type = ResourceTypes.STORAGE_BUCKET;
                id = BucketCollector.arn(Json.text(item, "resourceName").orElse(resourceId));
            }
            case "AWS::EC2::SecurityGroup" -> {
                type = ResourceTypes.NETWORK_FIREWALL;
                id = SecurityGroupCollector.arn(region, account, resourceId);
            }
            case "AWS::EC2::Instance" -> {
                type = ResourceTypes.COMPUTE_INSTANCE;
                id = InstanceCollector.arn(region, account, resourceId);
            }
            case "AWS::IAM::User" -> {
                type = ResourceTypes.IDENTITY_USER;
                id = arn.orElseGet(() -> "arn:aws:iam::" + account + ":user/"
                        + Json.text(item, "resourceName").orElse(resourceId));
                r = Shard.GLOBAL;
            }
            case "AWS::KMS::Key" -> {
                type = ResourceTypes.KMS_KEY;
                id = arn.orElseGet(() -> "arn:aws:kms:" + region + ":" + account + ":key/" + resourceId);
            }
            default -> {
                return ParsedEvents.ignored("unhandled Config resource type " + resourceType);
            }
        }
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

    private static String requiredText(JsonNode node, String field, String pointer) {
        return Json.text(node, field).orElseThrow(() -> new EventParseException(pointer, "required field is missing"));
    }
}
