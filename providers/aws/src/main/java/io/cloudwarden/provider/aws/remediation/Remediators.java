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

/** The AWS remediators. Each plan is computed purely from the resource (attributes and raw evidence). */
public final class Remediators {
    /** Tag added by the tag remediators; its value is the finding id (or {@code flagged} without one). */
    public static final String FINDING_TAG = "cloudwarden:finding";

    private Remediators() {
    }

    public static List<Remediator> all() {
        return List.of(new BlockPublicAccess(), new EnableEncryption(), new RevokeInternetIngress(),
                new DeactivateKey(), new EnableKeyRotation(),
                new Tag(ResourceTypes.STORAGE_BUCKET, List.of("s3:PutBucketTagging", "s3:GetBucketTagging")),
                new Tag(ResourceTypes.NETWORK_FIREWALL, List.of("ec2:CreateTags")),
                new Tag(ResourceTypes.COMPUTE_INSTANCE, List.of("ec2:CreateTags")),
                new Tag(ResourceTypes.IDENTITY_USER, List.of("iam:TagUser")),
                new Tag(ResourceTypes.KMS_KEY, List.of("kms:TagResource")));
    }

    static String bucketName(ResourceRef ref) {
        return ref.id().substring(ref.id().lastIndexOf(':') + 1);
    }

    private static ObjectNode obj() {
        return Json.F.objectNode();
    }

    /** PutPublicAccessBlock with all four settings true; planned unless all four already are. */
    public static final class BlockPublicAccess implements Remediator {
        @Override public String actionId() { return "storage.bucket/block-public-access"; }
        @Override public String appliesTo() { return ResourceTypes.STORAGE_BUCKET; }
        @Override public List<String> permissions() { return List.of("s3:PutBucketPublicAccessBlock"); }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.MEDIUM; }
        @Override public String description() { return "Turn on all four S3 Block Public Access settings of the bucket"; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            JsonNode pab = current.raw().path("PublicAccessBlock");
            boolean allOn = pab.path("BlockPublicAcls").asBoolean(false) && pab.path("IgnorePublicAcls").asBoolean(false)
                    && pab.path("BlockPublicPolicy").asBoolean(false) && pab.path("RestrictPublicBuckets").asBoolean(false);
            if (allOn && !current.attributes().path("publicAccess").asBoolean(false)) {
                return Optional.empty();
            }
            ObjectNode before = obj();
            before.set("publicAccess", current.attributes().path("publicAccess").deepCopy());
            ObjectNode after = obj().put("publicAccess", false);
            ObjectNode params = obj().put("bucket", bucketName(current.ref()));
            params.set("previousPublicAccessBlock", pab.isMissingNode() ? Json.F.nullNode() : pab.deepCopy());
            return Optional.of(new PlannedChange("Block all public access to bucket " + bucketName(current.ref()),
                    before, after, params));
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            var s3 = ((AwsSession) session).s3(plan.resource().account(), plan.resource().region());
            String bucket = bucketName(plan.resource());
            AwsCalls.run("s3:PutBucketPublicAccessBlock", () -> s3.putPublicAccessBlock(r -> r.bucket(bucket)
                    .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).ignorePublicAcls(true)
                            .blockPublicPolicy(true).restrictPublicBuckets(true))));
        }
    }

    /** Default encryption SSE-S3 (AES256) on a bucket without default encryption. */
    public static final class EnableEncryption implements Remediator {
        @Override public String actionId() { return "storage.bucket/enable-encryption"; }
        @Override public String appliesTo() { return ResourceTypes.STORAGE_BUCKET; }
        @Override public List<String> permissions() { return List.of("s3:PutEncryptionConfiguration"); }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.LOW; }
        @Override public String description() { return "Enable SSE-S3 default encryption on the bucket"; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            if (current.attributes().path("encryption").path("enabled").asBoolean(false)) {
                return Optional.empty();
            }
            ObjectNode before = obj();
            before.set("encryption", current.attributes().path("encryption").deepCopy());
            ObjectNode after = obj();
            after.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
            return Optional.of(new PlannedChange("Enable SSE-S3 default encryption on " + bucketName(current.ref()),
                    before, after, obj().put("bucket", bucketName(current.ref())).put("algorithm", "AES256")));
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            var s3 = ((AwsSession) session).s3(plan.resource().account(), plan.resource().region());
            String bucket = bucketName(plan.resource());
            AwsCalls.run("s3:PutEncryptionConfiguration", () -> s3.putBucketEncryption(r -> r.bucket(bucket)
                    .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                            d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
        }
    }

    /**
     * Revokes only the internet-open ranges ({@code 0.0.0.0/0}, {@code ::/0}) of ingress permissions, read from the
     * raw IpPermissions; every other range, group reference and egress rule is kept. {@code params.revoke} lists
     * exactly the (protocol, ports, cidr) tuples revoked. Already-revoked permissions are not an error.
     */
    public static final class RevokeInternetIngress implements Remediator {
        @Override public String actionId() { return "network.firewall/revoke-internet-ingress"; }
        @Override public String appliesTo() { return ResourceTypes.NETWORK_FIREWALL; }
        @Override public List<String> permissions() { return List.of("ec2:RevokeSecurityGroupIngress"); }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
        @Override public String description() { return "Revoke security group ingress open to 0.0.0.0/0 or ::/0"; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            ArrayNode revoke = Json.F.arrayNode();
            for (JsonNode p : Json.array(current.raw(), "IpPermissions")) {
                for (JsonNode r : Json.array(p, "IpRanges")) {
                    if (FirewallRules.ANY_V4.equals(r.path("CidrIp").asText())) {
                        revoke.add(entry(p).put("cidrIp", FirewallRules.ANY_V4));
                    }
                }
                for (JsonNode r : Json.array(p, "Ipv6Ranges")) {
                    if (FirewallRules.ANY_V6.equals(r.path("CidrIpv6").asText())) {
                        revoke.add(entry(p).put("cidrIpv6", FirewallRules.ANY_V6));
                    }
                }
            }
            if (revoke.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode before = obj();
            before.set("internetIngress", current.attributes().path("internetIngress").deepCopy());
            ObjectNode after = obj();
            after.putArray("internetIngress");
            ObjectNode params = obj().put("groupId", SecurityGroupCollector.resourceId(current.id()));
            params.set("revoke", revoke);
            return Optional.of(new PlannedChange("Revoke " + revoke.size() + " internet-open ingress permission(s) of "
                    + params.get("groupId").asText(), before, after, params));
        }

        private static ObjectNode entry(JsonNode p) {
            ObjectNode e = obj().put("ipProtocol", p.path("IpProtocol").asText("-1"));
            if (p.hasNonNull("FromPort")) {
                e.put("fromPort", p.get("FromPort").asInt());
            }
            if (p.hasNonNull("ToPort")) {
                e.put("toPort", p.get("ToPort").asInt());
            }
            return e;
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            var ec2 = ((AwsSession) session).ec2(plan.resource().account(), plan.resource().region());
            String groupId = plan.params().path("groupId").asText();
            List<IpPermission> perms = new ArrayList<>();
            for (JsonNode e : plan.params().path("revoke")) {
                IpPermission.Builder b = IpPermission.builder().ipProtocol(e.path("ipProtocol").asText());
                if (e.has("fromPort")) {
                    b.fromPort(e.get("fromPort").asInt());
                }
                if (e.has("toPort")) {
                    b.toPort(e.get("toPort").asInt());
                }
                if (e.has("cidrIp")) {
                    b.ipRanges(IpRange.builder().cidrIp(e.get("cidrIp").asText()).build());
                } else {
                    b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(e.get("cidrIpv6").asText()).build());
                }
                perms.add(b.build());
            }
            try {
                ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(perms));
            } catch (AwsServiceException e) {
                if (!"InvalidPermission.NotFound".equals(AwsCalls.errorCode(e))) {
                    throw AwsCalls.translate("ec2:RevokeSecurityGroupIngress", e);
                }
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                throw AwsCalls.translate("ec2:RevokeSecurityGroupIngress", e);
            }
        }
    }

    /** UpdateAccessKey Status=Inactive (reversible, unlike deletion). */
    public static final class DeactivateKey implements Remediator {
        @Override public String actionId() { return "identity.key/deactivate"; }
        @Override public String appliesTo() { return ResourceTypes.IDENTITY_KEY; }
        @Override public List<String> permissions() { return List.of("iam:UpdateAccessKey"); }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
        @Override public String description() { return "Deactivate the IAM access key (UpdateAccessKey Inactive)"; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            if (!current.attributes().path("active").asBoolean(false)) {
                return Optional.empty();
            }
            String owner = current.attributes().path("owner").asText("");
            if (owner.isEmpty()) {
                throw new IllegalArgumentException("identity.key " + current.id()
                        + ": attributes.owner is required to deactivate the key but is missing");
            }
            return Optional.of(new PlannedChange("Deactivate access key " + current.id() + " of " + owner,
                    obj().put("active", true), obj().put("active", false),
                    obj().put("userName", owner).put("accessKeyId", current.id())));
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            var iam = ((AwsSession) session).iam(plan.resource().account());
            AwsCalls.run("iam:UpdateAccessKey", () -> iam.updateAccessKey(r -> r
                    .userName(plan.params().path("userName").asText())
                    .accessKeyId(plan.params().path("accessKeyId").asText()).status(StatusType.INACTIVE)));
        }
    }

    /** EnableKeyRotation (AWS default period, 365 days, unless one is already configured). */
    public static final class EnableKeyRotation implements Remediator {
        @Override public String actionId() { return "kms.key/enable-rotation"; }
        @Override public String appliesTo() { return ResourceTypes.KMS_KEY; }
        @Override public List<String> permissions() { return List.of("kms:EnableKeyRotation"); }
        @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.LOW; }
        @Override public String description() { return "Enable automatic rotation of the customer-managed KMS key"; }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            if (current.attributes().path("rotationEnabled").asBoolean(false)) {
                return Optional.empty();
            }
            return Optional.of(new PlannedChange("Enable rotation of KMS key " + current.id(),
                    obj().put("rotationEnabled", false), obj().put("rotationEnabled", true),
                    obj().put("keyId", current.id())));
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            var kms = ((AwsSession) session).kms(plan.resource().account(), plan.resource().region());
            AwsCalls.run("kms:EnableKeyRotation", () -> kms.enableKeyRotation(r -> r.keyId(plan.params()
                    .path("keyId").asText())));
        }
    }

    /**
     * Adds the {@value #FINDING_TAG} tag. Planned unless the tag is present; verify checks the re-read tags (tags are
     * not attributes). S3 PutBucketTagging replaces the whole set, so existing tags are re-read and kept.
     */
    public static final class Tag implements Remediator {
        private final String type;
        private final List<String> permissions;

        Tag(String type, List<String> permissions) {
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
