package io.cloudwarden.provider.aws.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsProvider;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.network.firewall.FirewallRules;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupCollector;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What the AWS remediators share: the {@link Tag} remediator (one per taggable type, listed by the type) and small
 * helpers. The type-specific remediators live beside their type (e.g. {@code kms/key/EnableKeyRotation}). Each plan
 * is computed purely from the resource (attributes and raw evidence).
 */
public final class Remediators {
    /** Tag added by the tag remediators; its value is the finding id (or {@code flagged} without one). */
    public static final String FINDING_TAG = "cloudwarden:finding";

    private Remediators() {
    }

    /** Every type's remediators ({@link AwsType#remediators()}), in the order of {@link AwsProvider#TYPES}. */
    public static List<Remediator> all() {
        return AwsProvider.TYPES.stream().flatMap(t -> t.remediators().stream()).toList();
    }

    /** The bucket name of an S3 bucket ARN. */
    public static String bucketName(ResourceRef ref) {
        return ref.id().substring(ref.id().lastIndexOf(':') + 1);
    }

    public static ObjectNode obj() {
        return Json.F.objectNode();
    }

    /**
     * Adds the {@value #FINDING_TAG} tag. Planned unless the tag is present; verify checks the re-read tags (tags are
     * not attributes). S3 PutBucketTagging replaces the whole set, so existing tags are re-read and kept.
     */
    public static final class Tag implements Remediator {
        private final String type;
        private final List<String> permissions;

        public Tag(String type, List<String> permissions) {
            this.type = type;
            this.permissions = permissions;
        }

        @Override public String actionId() { return type + "/tag"; }
        @Override public String appliesTo() { return type; }
        @Override public List<String> permissions() { return permissions; }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.LOW; }
        @Override public String description() { return "Tag the resource with " + FINDING_TAG; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            if (current.tags().containsKey(FINDING_TAG)) {
                return Optional.empty();
            }
            return Optional.of(new PlannedChange("Tag " + current.id() + " with " + FINDING_TAG, null, null,
                    obj().put("tagKey", FINDING_TAG)));
        }

        static String value(RemediationPlan plan) {
            return plan.findingId().isBlank() ? "flagged" : plan.findingId();
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            AwsSession s = (AwsSession) session;
            ResourceRef ref = plan.resource();
            String key = plan.params().path("tagKey").asText(FINDING_TAG);
            String value = value(plan);
            switch (type) {
                case ResourceTypes.STORAGE_BUCKET -> {
                    var s3 = s.s3(ref.account(), ref.region());
                    String bucket = bucketName(ref);
                    Map<String, String> tags = new TreeMap<>();
                    AwsCalls.callOptional("s3:GetBucketTagging", java.util.Set.of("NoSuchTagSet"),
                            () -> s3.getBucketTagging(r -> r.bucket(bucket)).tagSet())
                            .ifPresent(ts -> ts.forEach(t -> tags.put(t.key(), t.value())));
                    tags.put(key, value);
                    List<software.amazon.awssdk.services.s3.model.Tag> set = tags.entrySet().stream().map(e ->
                            software.amazon.awssdk.services.s3.model.Tag.builder().key(e.getKey())
                                    .value(e.getValue()).build()).toList();
                    AwsCalls.run("s3:PutBucketTagging", () -> s3.putBucketTagging(r -> r.bucket(bucket)
                            .tagging(t -> t.tagSet(set))));
                }
                case ResourceTypes.NETWORK_FIREWALL, ResourceTypes.COMPUTE_INSTANCE -> {
                    var ec2 = s.ec2(ref.account(), ref.region());
                    AwsCalls.run("ec2:CreateTags", () -> ec2.createTags(r -> r
                            .resources(SecurityGroupCollector.resourceId(ref.id()))
                            .tags(t -> t.key(key).value(value))));
                }
                case ResourceTypes.IDENTITY_USER -> {
                    var iam = s.iam(ref.account());
                    String user = ref.id().substring(ref.id().lastIndexOf('/') + 1);
                    AwsCalls.run("iam:TagUser", () -> iam.tagUser(r -> r.userName(user)
                            .tags(t -> t.key(key).value(value))));
                }
                case ResourceTypes.KMS_KEY -> {
                    var kms = s.kms(ref.account(), ref.region());
                    AwsCalls.run("kms:TagResource", () -> kms.tagResource(r -> r.keyId(ref.id())
                            .tags(t -> t.tagKey(key).tagValue(value))));
                }
                default -> throw new IllegalStateException("tag: unsupported type " + type);
            }
        }

        @Override
        public boolean verify(Resource reread, RemediationPlan plan) {
            return reread.tags().containsKey(plan.params().path("tagKey").asText(FINDING_TAG));
        }
    }
}
