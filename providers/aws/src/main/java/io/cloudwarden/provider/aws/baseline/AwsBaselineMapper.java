package io.cloudwarden.provider.aws.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsProvider;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.compute.instance.InstanceNormalizer;
import io.cloudwarden.provider.aws.identity.key.AccessKeyNormalizer;
import io.cloudwarden.provider.aws.kms.key.KeyNormalizer;
import io.cloudwarden.provider.aws.network.firewall.FirewallRules;
import io.cloudwarden.provider.aws.network.firewall.NetworkFirewall;
import io.cloudwarden.provider.aws.storage.bucket.BucketCollector;
import io.cloudwarden.provider.aws.storage.bucket.BucketNormalizer;
import io.cloudwarden.provider.aws.storage.bucket.StorageBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Terraform state (v4) instances of the AWS provider → normalized resources with the collectors' ids and attributes.
 *
 * <p>How: each Terraform resource (with its folded split-out resources) is rewritten into the same native JSON
 * shape the collector produces and run through the same normalizer, so both sides derive attributes with one code
 * path; attributes the state cannot know are then removed, because the drift engine compares only the attribute
 * paths a baseline resource contains. Not known from a state: bucket policy status as AWS evaluates it (the policy
 * document is read instead), {@code identity.user} {@code mfaEnabled}/{@code admin}/{@code consoleAccess}/
 * {@code lastUsedAt}, {@code identity.key} {@code ageDays}/{@code lastUsedAt}; a bucket attribute whose
 * configuration the state does not record at all (no folded resource and no computed block on the bucket) is omitted.
 */
public final class AwsBaselineMapper implements BaselineMapper {
    private static final String SOURCE = "terraform";
    /** The pieces folded into a bucket / a security group: the type's declared Terraform types but the first. */
    private static final Set<String> BUCKET_PARTS = parts(new StorageBucket(), "aws_s3_bucket");
    private static final Set<String> SG_PARTS = parts(new NetworkFirewall(), "aws_security_group");
    /** What scales an Auto Scaling group by itself (see {@link #autoScalingGroup}). */
    private static final Set<String> ASG_PARTS = parts(
            new io.cloudwarden.provider.aws.compute.group.ComputeGroup(), "aws_autoscaling_group");

    private static Set<String> parts(AwsType type, String resource) {
        Set<String> parts = new java.util.TreeSet<>(type.terraformTypes());
        parts.remove(resource);
        return Set.copyOf(parts);
    }

    /** What the types declare ({@link AwsType#terraformTypes()}); {@code AwsBaselineMapperTest} maps each one. */
    @Override
    public Set<String> terraformTypes() {
        Set<String> all = new java.util.TreeSet<>();
        AwsProvider.TYPES.forEach(t -> all.addAll(t.terraformTypes()));
        return all;
    }

    /** From the type's declaration ({@link AwsType#terraformImport}). */
    @Override
    public Optional<io.cloudwarden.engine.spi.TerraformImport> terraformImport(Resource observed) {
        return type(observed.type()).map(t -> t.terraformImport(observed));
    }

    /** From the type's declaration ({@link AwsType#terraformAttributes}), matched on the top-level attribute. */
    @Override
    public Optional<String> terraformAttribute(String type, String pointer) {
        String top = BaselineMapper.topLevel(pointer);
        return type(type).map(t -> t.terraformAttributes().get(top));
    }

    private static Optional<AwsType> type(String type) {
        return AwsProvider.TYPES.stream().filter(t -> t.descriptor().type().equals(type)).findFirst();
    }

    @Override
    public BaselineResult map(List<TerraformInstance> instances) {
        List<Resource> out = new ArrayList<>();
        List<NotCompared> notCompared = new ArrayList<>();
        Map<String, TerraformInstance> buckets = new LinkedHashMap<>();
        Map<String, TerraformInstance> groups = new LinkedHashMap<>();
        Map<String, List<TerraformInstance>> bucketParts = new TreeMap<>();
        Map<String, List<TerraformInstance>> groupParts = new TreeMap<>();
        Map<String, TerraformInstance> asgs = new LinkedHashMap<>();
        Map<String, List<TerraformInstance>> asgParts = new TreeMap<>();
        for (TerraformInstance i : instances) {
            switch (i.type()) {
                case "aws_s3_bucket" -> key(i, "bucket", notCompared).ifPresent(k -> buckets.put(k, i));
                case "aws_security_group" -> key(i, "id", notCompared).ifPresent(k -> groups.put(k, i));
                case "aws_instance" -> instance(i, notCompared).ifPresent(out::add);
                case "aws_iam_user" -> user(i, notCompared).ifPresent(out::add);
                case "aws_iam_access_key" -> accessKey(i, notCompared).ifPresent(out::add);
                case "aws_kms_key" -> kmsKey(i, notCompared).ifPresent(out::add);
                case "aws_autoscaling_group" -> key(i, "name", notCompared).ifPresent(k -> asgs.put(k, i));
                default -> {
                    if (BUCKET_PARTS.contains(i.type())) {
                        key(i, "bucket", notCompared).ifPresent(k ->
                                bucketParts.computeIfAbsent(k, x -> new ArrayList<>()).add(i));
                    } else if (SG_PARTS.contains(i.type())) {
                        key(i, "security_group_id", notCompared).ifPresent(k ->
                                groupParts.computeIfAbsent(k, x -> new ArrayList<>()).add(i));
                    } else if (ASG_PARTS.contains(i.type())) {
                        key(i, "autoscaling_group_name", notCompared).ifPresent(k ->
                                asgParts.computeIfAbsent(k, x -> new ArrayList<>()).add(i));
                    } else {
                        notCompared.add(new NotCompared(SOURCE, i.address(), "Terraform type " + i.type()
                                + " is not mapped by the AWS provider"));
                    }
                }
            }
        }
        bucketParts.forEach((name, parts) -> {
            if (!buckets.containsKey(name)) {
                parts.forEach(p -> notCompared.add(new NotCompared(SOURCE, p.address(), p.type()
                        + " configures bucket '" + name + "', which this state does not declare as aws_s3_bucket")));
            }
        });
        groupParts.forEach((id, parts) -> {
            if (!groups.containsKey(id)) {
                parts.forEach(p -> notCompared.add(new NotCompared(SOURCE, p.address(), p.type()
                        + " belongs to security group '" + id + "', which this state does not declare as "
                        + "aws_security_group")));
            }
        });
        asgParts.forEach((name, parts) -> {
            if (!asgs.containsKey(name)) {
                parts.forEach(p -> notCompared.add(new NotCompared(SOURCE, p.address(), p.type()
                        + " scales Auto Scaling group '" + name + "', which this state does not declare as "
                        + "aws_autoscaling_group")));
            }
        });
        buckets.forEach((name, b) -> out.add(bucket(b, bucketParts.getOrDefault(name, List.of()))));
        asgs.forEach((name, g) -> autoScalingGroup(g, asgParts.getOrDefault(name, List.of()), notCompared)
                .ifPresent(out::add));
        groups.forEach((id, g) -> out.add(securityGroup(g, groupParts.getOrDefault(id, List.of()))));
        return new BaselineResult(out, notCompared);
    }

    private static Optional<String> key(TerraformInstance i, String field, List<NotCompared> nc) {
        Optional<String> v = Json.text(i.attributes(), field);
        if (v.isEmpty()) {
            nc.add(new NotCompared(SOURCE, i.address(), "attribute '" + field + "' is missing from the state instance"));
        }
        return v;
    }

    private static Map<String, String> tags(JsonNode a) {
        JsonNode t = Json.at(a, "tags_all");
        if (t == null || !t.isObject() || t.isEmpty()) {
            t = Json.at(a, "tags");
        }
        Map<String, String> out = new TreeMap<>();
        if (t != null && t.isObject()) {
            t.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static ArrayNode nativeTags(Map<String, String> tags, String k, String v) {
        ArrayNode arr = Json.F.arrayNode();
        tags.forEach((key, val) -> arr.addObject().put(k, key).put(v, val));
        return arr;
    }

    /** [arn, partition, service, region, account, resource] */
    private static String[] arn(String arn) {
        return arn.split(":", 6);
    }

    private static Resource resource(String type, String nativeType, String id, String account, String region,
            Normalized n, ObjectNode attributes, JsonNode raw) {
        return Resource.builder().cloud(Cloud.AWS).type(type).nativeType(nativeType).id(id).account(account)
                .region(region).name(n.name()).tags(n.tags()).attributes(attributes).raw(raw).build();
    }

    private static JsonNode first(JsonNode a, String field) {
        JsonNode n = Json.at(a, field);
        if (n != null && n.isArray()) {
            return n.size() > 0 ? n.get(0) : null;
        }
        return n != null && n.isObject() ? n : null;
    }

    // ---- storage.bucket -------------------------------------------------------------------------------------

    private Resource bucket(TerraformInstance b, List<TerraformInstance> parts) {
        JsonNode a = b.attributes();
        String name = a.get("bucket").asText();
        ObjectNode j = Json.F.objectNode();
        j.put("Name", name);
        boolean knowsPolicy = a.has("policy");
        boolean knowsEncryption = false;
        boolean knowsVersioning = false;
        boolean knowsLogging = a.has("logging");
        Json.text(a, "policy").ifPresent(p -> j.put("Policy", p));
        ArrayNode grants = j.putObject("Acl").putArray("Grants");
        for (JsonNode g : Json.array(a, "grant")) {
            for (JsonNode perm : Json.array(g, "permissions")) {
                ObjectNode gr = grants.addObject();
                gr.putObject("Grantee").put("Type", g.path("type").asText()).put("URI", g.path("uri").asText(""));
                gr.put("Permission", perm.asText());
            }
        }
        cannedAcl(Json.text(a, "acl").orElse(""), grants);
        // The bucket's own (computed) blocks: present, even as [], means the state knows the setting.
        knowsEncryption = a.has("server_side_encryption_configuration");
        JsonNode sse = first(a, "server_side_encryption_configuration");
        if (sse != null) {
            j.set("Encryption", encryption(sse));
        }
        knowsVersioning = a.has("versioning");
        JsonNode ver = first(a, "versioning");
        if (ver != null) {
            j.putObject("Versioning").put("Status", ver.path("enabled").asBoolean(false) ? "Enabled" : "Suspended");
        }
        JsonNode log = first(a, "logging");
        if (log != null && Json.text(log, "target_bucket").isPresent()) {
            j.putObject("Logging").putObject("LoggingEnabled").put("TargetBucket", log.path("target_bucket").asText());
        }
        for (TerraformInstance p : parts) {
            JsonNode pa = p.attributes();
            switch (p.type()) {
                case "aws_s3_bucket_public_access_block" -> j.putObject("PublicAccessBlock")
                        .put("BlockPublicAcls", Json.bool(pa, "block_public_acls"))
                        .put("IgnorePublicAcls", Json.bool(pa, "ignore_public_acls"))
                        .put("BlockPublicPolicy", Json.bool(pa, "block_public_policy"))
                        .put("RestrictPublicBuckets", Json.bool(pa, "restrict_public_buckets"));
                case "aws_s3_bucket_versioning" -> {
                    knowsVersioning = true;
                    JsonNode vc = first(pa, "versioning_configuration");
                    j.putObject("Versioning").put("Status", vc == null ? "" : vc.path("status").asText(""));
                }
                case "aws_s3_bucket_server_side_encryption_configuration" -> {
                    knowsEncryption = true;
                    j.set("Encryption", encryption(pa));
                }
                case "aws_s3_bucket_logging" -> {
                    knowsLogging = true;
                    j.putObject("Logging").putObject("LoggingEnabled")
                            .put("TargetBucket", pa.path("target_bucket").asText(""));
                }
                case "aws_s3_bucket_policy" -> {
                    knowsPolicy = true;
                    Json.text(pa, "policy").ifPresent(pol -> j.put("Policy", pol));
                }
                case "aws_s3_bucket_acl" -> {
                    cannedAcl(Json.text(pa, "acl").orElse(""), grants);
                    JsonNode acp = first(pa, "access_control_policy");
                    for (JsonNode g : Json.array(acp, "grant")) {
                        JsonNode grantee = first(g, "grantee");
                        ObjectNode gr = grants.addObject();
                        gr.putObject("Grantee").put("URI", grantee == null ? "" : grantee.path("uri").asText(""));
                        gr.put("Permission", g.path("permission").asText());
                    }
                }
                default -> throw new IllegalStateException(p.type());
            }
        }
        Map<String, String> tags = tags(a);
        j.set("Tags", nativeTags(tags, "Key", "Value"));
        Normalized n = new BucketNormalizer().normalize(new NativeItem(BucketCollector.arn(name), "",
                Json.text(a, "region").orElse(""), j));
        ObjectNode attrs = n.attributes().deepCopy();
        if (!knowsEncryption) {
            attrs.remove("encryption");
        }
        if (!knowsVersioning) {
            attrs.remove("versioning");
        }
        if (!knowsLogging) {
            attrs.remove("logging");
        }
        if (!knowsPolicy) {
            attrs.remove(Attributes.StorageBucket.MIN_TLS_VERSION);
        }
        return resource(ResourceTypes.STORAGE_BUCKET, "AWS::S3::Bucket", BucketCollector.arn(name), "",
                Json.text(a, "region").orElse(""), n, attrs, j);
    }

    private static void cannedAcl(String acl, ArrayNode grants) {
        if (acl.equals("public-read") || acl.equals("public-read-write")) {
            grants.addObject().put("Permission", "READ").putObject("Grantee")
                    .put("URI", "http://acs.amazonaws.com/groups/global/AllUsers");
        } else if (acl.equals("authenticated-read")) {
            grants.addObject().put("Permission", "READ").putObject("Grantee")
                    .put("URI", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers");
        }
    }

    private static ObjectNode encryption(JsonNode sseConfig) {
        ObjectNode e = Json.F.objectNode();
        ArrayNode rules = e.putArray("Rules");
        for (JsonNode r : Json.array(sseConfig, "rule")) {
            JsonNode d = first(r, "apply_server_side_encryption_by_default");
            ObjectNode rule = rules.addObject();
            if (d != null) {
                ObjectNode dd = rule.putObject("ApplyServerSideEncryptionByDefault");
                dd.put("SSEAlgorithm", d.path("sse_algorithm").asText("AES256"));
                Json.text(d, "kms_master_key_id").ifPresent(k -> dd.put("KMSMasterKeyID", k));
            }
        }
        return e;
    }

    // ---- network.firewall -----------------------------------------------------------------------------------

    private Resource securityGroup(TerraformInstance g, List<TerraformInstance> parts) {
        JsonNode a = g.attributes();
        FirewallRules rules = new FirewallRules();
        for (String dir : List.of("ingress", "egress")) {
            for (JsonNode r : Json.array(a, dir)) {
                rules.add(dir, r.path("protocol").asText("-1"), port(r, "from_port"), port(r, "to_port"),
                        ranges(r.path("cidr_blocks"), r.path("ipv6_cidr_blocks")));
            }
        }
        for (TerraformInstance p : parts) {
            JsonNode pa = p.attributes();
            switch (p.type()) {
                case "aws_security_group_rule" -> rules.add(pa.path("type").asText("ingress"),
                        pa.path("protocol").asText("-1"), port(pa, "from_port"), port(pa, "to_port"),
                        ranges(pa.path("cidr_blocks"), pa.path("ipv6_cidr_blocks")));
                case "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule" -> {
                    List<String> rs = new ArrayList<>();
                    Json.text(pa, "cidr_ipv4").ifPresent(rs::add);
                    Json.text(pa, "cidr_ipv6").ifPresent(rs::add);
                    rules.add(p.type().contains("ingress") ? "ingress" : "egress",
                            pa.path("ip_protocol").asText("-1"), port(pa, "from_port"), port(pa, "to_port"), rs);
                }
                default -> throw new IllegalStateException(p.type());
            }
        }
        ObjectNode attrs = Json.F.objectNode();
        rules.writeTo(attrs);
        String arn = Json.text(a, "arn").orElseThrow();
        String[] parts5 = arn(arn);
        Map<String, String> tags = tags(a);
        Normalized n = new Normalized(Json.text(a, "name").orElse(""), tags, attrs);
        return resource(ResourceTypes.NETWORK_FIREWALL, "AWS::EC2::SecurityGroup", arn, parts5[4], parts5[3], n, attrs,
                a);
    }

    private static Integer port(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asInt();
    }

    private static List<String> ranges(JsonNode v4, JsonNode v6) {
        List<String> out = new ArrayList<>();
        Json.array(v4).forEach(x -> out.add(x.asText()));
        Json.array(v6).forEach(x -> out.add(x.asText()));
        return out;
    }

    // ---- compute.instance -----------------------------------------------------------------------------------

    private Optional<Resource> instance(TerraformInstance i, List<NotCompared> nc) {
        JsonNode a = i.attributes();
        Optional<String> arn = key(i, "arn", nc);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode j = Json.F.objectNode();
        j.put("InstanceId", a.path("id").asText());
        j.putObject("State").put("Name", a.path("instance_state").asText("unknown"));
        Json.text(a, "public_ip").ifPresent(ip -> j.put("PublicIpAddress", ip));
        Json.text(a, "ami").ifPresent(ami -> j.put("ImageId", ami));
        Json.text(a, "iam_instance_profile").ifPresent(p -> j.putObject("IamInstanceProfile")
                .put("Arn", "instance-profile/" + p));
        JsonNode md = first(a, "metadata_options");
        if (md != null) {
            j.putObject("MetadataOptions").put("HttpTokens", md.path("http_tokens").asText(""));
        }
        ArrayNode vols = j.putArray("Volumes");
        for (String dev : List.of("root_block_device", "ebs_block_device")) {
            for (JsonNode d : Json.array(a, dev)) {
                vols.addObject().put("VolumeId", d.path("volume_id").asText("")).put("Encrypted",
                        Json.bool(d, "encrypted"));
            }
        }
        Map<String, String> tags = tags(a);
        j.set("Tags", nativeTags(tags, "Key", "Value"));
        String[] p = arn(arn.get());
        Normalized n = new InstanceNormalizer().normalize(new NativeItem(arn.get(), p[4], p[3], j));
        // a state knows neither the CPU nor which Auto Scaling group launched the instance, nor its OS or patch
        // state: none is compared (baseline pruning compares only what the baseline resource holds)
        ObjectNode attrs = n.attributes().deepCopy();
        attrs.remove(Attributes.ComputeInstance.UTILIZATION);
        attrs.remove(Attributes.ComputeInstance.GROUP);
        attrs.remove(Attributes.ComputeInstance.OS);
        attrs.remove(Attributes.ComputeInstance.PATCH);
        return Optional.of(resource(ResourceTypes.COMPUTE_INSTANCE, "AWS::EC2::Instance", arn.get(), p[4], p[3], n,
                attrs, j));
    }

    // ---- compute.group -----------------------------------------------------------------------------------------

    /**
     * {@code aws_autoscaling_group} → {@code compute.group} through the collector's normalizer ({@code name},
     * {@code arn}, {@code min_size}, {@code max_size}, {@code desired_capacity}, the {@code tag} blocks: the group's
     * own tags; hashicorp/aws puts no {@code default_tags} on groups). Not known from a state: {@code memberIds}
     * (the group launches its members) and {@code utilization}. {@code capacity/desired} is the size the group's
     * own scaling moves: it is compared only when the state declares nothing that scales the group, i.e. no
     * enabled {@code aws_autoscaling_policy} and no {@code aws_autoscaling_schedule} setting
     * {@code desired_capacity} for it (a state's {@code desired_capacity} is then just the size at the last
     * refresh); a schedule that sets {@code min_size} / {@code max_size} (not -1) leaves those out too. The same
     * rule holds on Azure (an autoscale setting) and GCP (an autoscaler).
     */
    private Optional<Resource> autoScalingGroup(TerraformInstance g, List<TerraformInstance> parts,
            List<NotCompared> nc) {
        JsonNode a = g.attributes();
        Optional<String> arn = key(g, "arn", nc);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode j = Json.F.objectNode();
        j.put("AutoScalingGroupName", a.path("name").asText());
        j.put("AutoScalingGroupARN", arn.get());
        j.put("MinSize", a.path("min_size").asInt());
        j.put("MaxSize", a.path("max_size").asInt());
        j.put("DesiredCapacity", a.path("desired_capacity").asInt());
        ArrayNode tags = j.putArray("Tags");
        for (JsonNode t : Json.array(a, "tag")) {
            tags.addObject().put("Key", t.path("key").asText()).put("Value", t.path("value").asText());
        }
        String[] p = arn(arn.get());
        Normalized n = new io.cloudwarden.provider.aws.compute.group.GroupNormalizer()
                .normalize(new NativeItem(arn.get(), p[4], p[3], j));
        ObjectNode attrs = n.attributes().deepCopy();
        attrs.remove(Attributes.ComputeGroup.MEMBER_IDS);
        attrs.remove(Attributes.ComputeGroup.UTILIZATION);
        ObjectNode capacity = (ObjectNode) attrs.get(Attributes.ComputeGroup.CAPACITY);
        for (TerraformInstance part : parts) {
            JsonNode pa = part.attributes();
            if (part.type().equals("aws_autoscaling_policy")) {
                if (pa.path("enabled").asBoolean(true)) {
                    capacity.remove(Attributes.ComputeGroup.Capacity.DESIRED);
                }
            } else {
                scheduled(pa, "desired_capacity", capacity, Attributes.ComputeGroup.Capacity.DESIRED);
                scheduled(pa, "min_size", capacity, Attributes.ComputeGroup.Capacity.MIN);
                scheduled(pa, "max_size", capacity, Attributes.ComputeGroup.Capacity.MAX);
            }
        }
        return Optional.of(resource(ResourceTypes.COMPUTE_GROUP, "AWS::AutoScaling::AutoScalingGroup", arn.get(),
                p[4], p[3], n, attrs, j));
    }

    /** An {@code aws_autoscaling_schedule} sets {@code field} unless it is -1 ("don't change") or absent. */
    private static void scheduled(JsonNode schedule, String field, ObjectNode capacity, String key) {
        JsonNode v = schedule.get(field);
        if (v != null && !v.isNull() && v.asInt(-1) >= 0) {
            capacity.remove(key);
        }
    }

    // ---- identity.user / identity.key -----------------------------------------------------------------------

    private Optional<Resource> user(TerraformInstance i, List<NotCompared> nc) {
        Optional<String> arn = key(i, "arn", nc);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        // mfaEnabled, admin, consoleAccess and lastUsedAt are not in aws_iam_user: compared by existence only.
        Normalized n = new Normalized(Json.text(i.attributes(), "name").orElse(""), tags(i.attributes()),
                Json.F.objectNode());
        return Optional.of(resource(ResourceTypes.IDENTITY_USER, "AWS::IAM::User", arn.get(), arn(arn.get())[4],
                Shard.GLOBAL, n, n.attributes(), i.attributes()));
    }

    private Optional<Resource> accessKey(TerraformInstance i, List<NotCompared> nc) {
        JsonNode a = i.attributes();
        Optional<String> id = key(i, "id", nc);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode j = Json.F.objectNode();
        j.put("AccessKeyId", id.get());
        j.put("UserName", a.path("user").asText(""));
        j.put("Status", a.path("status").asText("Active"));
        Json.text(a, "create_date").ifPresent(d -> j.put("CreateDate", Instant.parse(d).toString()));
        Normalized n = new AccessKeyNormalizer().normalize(new NativeItem(id.get(), "", Shard.GLOBAL, j));
        ObjectNode attrs = n.attributes().deepCopy();
        attrs.remove(Attributes.IdentityKey.AGE_DAYS);
        attrs.remove("lastUsedAt");
        if (j.get("CreateDate") == null) {
            attrs.remove("createdAt");
        }
        // Only the non-secret fields are kept as evidence.
        return Optional.of(resource(ResourceTypes.IDENTITY_KEY, "AWS::IAM::AccessKey", id.get(), "", Shard.GLOBAL, n,
                attrs, j));
    }

    // ---- kms.key --------------------------------------------------------------------------------------------

    private Optional<Resource> kmsKey(TerraformInstance i, List<NotCompared> nc) {
        JsonNode a = i.attributes();
        Optional<String> arn = key(i, "arn", nc);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode j = Json.F.objectNode();
        ObjectNode meta = j.putObject("KeyMetadata");
        meta.put("KeyId", a.path("key_id").asText(""));
        meta.put("Enabled", a.path("is_enabled").asBoolean(true));
        Json.text(a, "description").ifPresent(d -> meta.put("Description", d));
        ObjectNode rot = j.putObject("KeyRotationStatus");
        rot.put("KeyRotationEnabled", Json.bool(a, "enable_key_rotation"));
        JsonNode period = a.get("rotation_period_in_days");
        if (period != null && period.canConvertToInt() && period.asInt() > 0) {
            rot.put("RotationPeriodInDays", period.asInt());
        } else if (Json.bool(a, "enable_key_rotation")) {
            rot.put("RotationPeriodInDays", 365);
        }
        j.set("Tags", nativeTags(tags(a), "TagKey", "TagValue"));
        String[] p = arn(arn.get());
        Normalized n = new KeyNormalizer().normalize(new NativeItem(arn.get(), p[4], p[3], j));
        ObjectNode attrs = n.attributes().deepCopy();
        // a state knows neither: a key scheduled for deletion leaves the state, and whether AWS can rotate it
        // follows from key spec and origin, which the normalizer reads from the live key
        attrs.remove("pendingDeletion");
        attrs.remove("rotationSupported");
        return Optional.of(resource(ResourceTypes.KMS_KEY, "AWS::KMS::Key", arn.get(), p[4], p[3], n,
                attrs, j));
    }
}
