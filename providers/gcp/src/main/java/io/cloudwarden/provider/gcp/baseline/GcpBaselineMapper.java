package io.cloudwarden.provider.gcp.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpProvider;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.Labels;
import io.cloudwarden.provider.gcp.compute.group.GroupCollector;
import io.cloudwarden.provider.gcp.compute.group.ManagedGroups;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountNormalizer;
import io.cloudwarden.provider.gcp.kms.key.CryptoKeyNormalizer;
import io.cloudwarden.provider.gcp.network.firewall.FirewallNormalizer;
import io.cloudwarden.provider.gcp.storage.bucket.BucketNormalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code google_*} Terraform resources → normalized resources with the collectors' ids. Attributes the state cannot
 * know are OMITTED (the drift engine compares only paths the baseline contains):
 * <ul>
 * <li>bucket {@code publicAccess}: false when {@code public_access_prevention = "enforced"}; otherwise known only
 * from folded IAM resources: true when a {@code google_storage_bucket_iam_member}/{@code _binding}/{@code _policy}
 * grants {@code allUsers}/{@code allAuthenticatedUsers}, false when an authoritative {@code _iam_policy} grants
 * neither; omitted when only non-authoritative grants without public members are declared, or none.</li>
 * <li>instance {@code state}, {@code publicIp} (ephemeral IPs), {@code imageId} (the API does not report it) are
 * omitted; {@code metadataHardened}, {@code diskEncryption}, {@code identity} are mapped.</li>
 * <li>service account {@code admin} is omitted (project IAM lives in other resources); key {@code ageDays},
 * {@code createdAt}, {@code lastUsedAt} are omitted; KMS {@code enabled} is omitted (the primary version's state
 * is not in the key's state).</li>
 * </ul>
 *
 * <p><b>Labels</b> (model {@code tags}) are read from {@code terraform_labels}, not {@code labels}: since google
 * provider 5.0 {@code labels} holds only the labels written in the resource's configuration, while
 * {@code terraform_labels} adds the provider's {@code default_labels} (and the {@code goog-terraform-provisioned}
 * attribution label when enabled), i.e. every label Terraform puts on the resource. {@code effective_labels} is NOT
 * used: it is "all labels present on the resource in GCP", including those set by other clients, refreshed into the
 * state on every plan, so it would silently accept a label added outside Terraform; with {@code terraform_labels} that
 * label is drift. A state without {@code terraform_labels} (provider 4.x) falls back to {@code labels}, which then
 * held everything Terraform managed.
 */
public final class GcpBaselineMapper implements BaselineMapper {
    private static final String SOURCE = "terraform";
    private static final Set<String> BUCKET_IAM = Set.of("google_storage_bucket_iam_member",
            "google_storage_bucket_iam_binding", "google_storage_bucket_iam_policy");
    private static final Set<String> GROUP_MANAGERS = Set.of("google_compute_instance_group_manager",
            "google_compute_region_instance_group_manager");
    private static final Set<String> AUTOSCALERS = Set.of("google_compute_autoscaler",
            "google_compute_region_autoscaler");

    private final Set<String> mapped = terraformTypes();

    /** What the types declare ({@link GcpType#terraformTypes()}); {@code GcpBaselineMapperTest} maps each one. */
    @Override
    public Set<String> terraformTypes() {
        Set<String> all = new TreeSet<>();
        GcpProvider.TYPES.forEach(t -> all.addAll(t.terraformTypes()));
        return all;
    }

    /** From the type's declaration ({@link io.cloudwarden.provider.gcp.GcpType#terraformImport}). */
    @Override
    public java.util.Optional<io.cloudwarden.engine.spi.TerraformImport> terraformImport(
            io.cloudwarden.model.Resource observed) {
        return type(observed.type()).map(t -> t.terraformImport(observed));
    }

    private static java.util.Optional<io.cloudwarden.provider.gcp.GcpType> type(String type) {
        return io.cloudwarden.provider.gcp.GcpProvider.TYPES.stream()
                .filter(t -> t.descriptor().type().equals(type)).findFirst();
    }

    @Override
    public java.util.Optional<String> terraformAttribute(String type, String pointer) {
        String top = BaselineMapper.topLevel(pointer);
        return type(type).map(t -> t.terraformAttributes().get(top));
    }

    @Override
    public BaselineResult map(List<TerraformInstance> instances) {
        List<Resource> out = new ArrayList<>();
        List<NotCompared> notCompared = new ArrayList<>();
        Map<String, BucketIam> iam = new HashMap<>();
        Map<String, String> saUniqueIdByEmail = new HashMap<>();
        Set<String> groupPaths = new java.util.HashSet<>();
        Map<String, List<JsonNode>> autoscalersByGroup = new HashMap<>();
        for (TerraformInstance i : instances) {
            if (GROUP_MANAGERS.contains(i.type())) {
                try {
                    groupPaths.add(groupPath(i));
                } catch (IllegalArgumentException e) {
                    // reported when the group itself is mapped below
                }
            }
        }
        for (TerraformInstance i : instances) {
            JsonNode a = i.attributes();
            if (BUCKET_IAM.contains(i.type())) {
                String bucket = a.path("bucket").asText("").replaceFirst("^b/", "");
                BucketIam b = iam.computeIfAbsent(bucket, k -> new BucketIam());
                b.publicGrant |= grantsPublic(i.type(), a);
                b.authoritative |= i.type().equals("google_storage_bucket_iam_policy");
            } else if (i.type().equals("google_service_account")) {
                saUniqueIdByEmail.put(a.path("email").asText(), a.path("unique_id").asText());
            } else if (AUTOSCALERS.contains(i.type())) {
                String target = path(a.path("target").asText(""));
                if (groupPaths.contains(target)) {
                    autoscalersByGroup.computeIfAbsent(target, k -> new ArrayList<>()).add(a);
                }
            }
        }
        for (TerraformInstance i : instances) {
            if (!mapped.contains(i.type())) {
                notCompared.add(new NotCompared(SOURCE, i.address(), "type " + i.type() + " is not mapped by the GCP "
                        + "provider"));
                continue;
            }
            try {
                switch (i.type()) {
                    case "google_storage_bucket" -> out.add(bucket(i.attributes(), iam));
                    case "google_compute_firewall" -> out.add(firewall(i.attributes()));
                    case "google_compute_instance" -> out.add(instance(i.attributes()));
                    case "google_service_account" -> out.add(serviceAccount(i.attributes()));
                    case "google_service_account_key" -> {
                        Resource r = key(i, saUniqueIdByEmail);
                        if (r == null) {
                            notCompared.add(new NotCompared(SOURCE, i.address(), "the service account of this key "
                                    + "is not in the state, so its unique id (part of the key's id) is unknown"));
                        } else {
                            out.add(r);
                        }
                    }
                    case "google_kms_crypto_key" -> out.add(cryptoKey(i.attributes()));
                    case "google_compute_instance_group_manager", "google_compute_region_instance_group_manager" ->
                            out.add(groupManager(i, autoscalersByGroup.getOrDefault(groupPath(i), List.of())));
                    case "google_compute_autoscaler", "google_compute_region_autoscaler" -> {
                        String target = path(i.attributes().path("target").asText(""));
                        if (!groupPaths.contains(target)) {
                            notCompared.add(new NotCompared(SOURCE, i.address(), "the target of this autoscaler ("
                                    + i.attributes().path("target").asText("") + ") is not a managed instance group"
                                    + " in the state"));
                        }
                    }
                    default -> {
                        // IAM resources were folded into their bucket above
                    }
                }
            } catch (IllegalArgumentException e) {
                notCompared.add(new NotCompared(SOURCE, i.address(), e.getMessage()));
            }
        }
        return new BaselineResult(out, notCompared);
    }

    private static final class BucketIam {
        boolean publicGrant;
        boolean authoritative;
    }

    private static boolean grantsPublic(String type, JsonNode a) {
        return switch (type) {
            case "google_storage_bucket_iam_member" -> isPublic(a.path("member").asText());
            case "google_storage_bucket_iam_binding" -> {
                boolean p = false;
                for (JsonNode m : a.path("members")) {
                    p |= isPublic(m.asText());
                }
                yield p;
            }
            default -> {
                String policy = a.path("policy_data").asText("");
                try {
                    yield !policy.isEmpty() && BucketNormalizer.grantsPublic(ModelJson.mapper().readTree(policy));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException("policy_data: expected IAM policy JSON");
                }
            }
        };
    }

    private static boolean isPublic(String member) {
        return BucketNormalizer.PUBLIC_MEMBERS.contains(member);
    }

    private static String required(JsonNode a, String field) {
        String v = a.path(field).asText("");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("attributes." + field + ": expected a non-empty value");
        }
        return v;
    }

    private static Resource.Builder base(String type, String nativeType, String project, String region, String id,
            String name) {
        return Resource.builder().cloud(Cloud.GCP).type(type).nativeType(nativeType).account(project).region(region)
                .id(id).name(name);
    }

    private static Resource bucket(JsonNode a, Map<String, BucketIam> iam) {
        String name = required(a, "name");
        ObjectNode attrs = ModelJson.mapper().createObjectNode();
        boolean enforced = "enforced".equalsIgnoreCase(a.path("public_access_prevention").asText(""));
        BucketIam b = iam.get(name);
        if (enforced) {
            attrs.put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
        } else if (b != null && (b.publicGrant || b.authoritative)) {
            attrs.put(Attributes.StorageBucket.PUBLIC_ACCESS, b.publicGrant);
        }
        ObjectNode enc = attrs.putObject("encryption");
        enc.put("enabled", true);
        enc.put("keyType", a.path("encryption").path(0).path("default_kms_key_name").asText("").isEmpty()
                ? "provider-managed" : "customer-managed");
        attrs.put("versioning", a.path("versioning").path(0).path("enabled").asBoolean(false));
        attrs.putNull(Attributes.StorageBucket.MIN_TLS_VERSION);
        attrs.put("logging", !a.path("logging").path(0).path("log_bucket").asText("").isEmpty());
        return base(ResourceTypes.STORAGE_BUCKET, GcpIds.BUCKET_TYPE, a.path("project").asText(""),
                a.path("location").asText(GcpIds.GLOBAL).toLowerCase(java.util.Locale.ROOT), GcpIds.bucket(name), name)
                .tags(terraformLabels(a)).attributes(attrs).build();
    }

    /** The labels Terraform puts on the resource: see the class comment for why not {@code effective_labels}. */
    static Map<String, String> terraformLabels(JsonNode a) {
        JsonNode managed = a.path("terraform_labels");
        return Labels.of(managed.isObject() ? managed : a.path("labels"));
    }

    private static Resource firewall(JsonNode a) {
        String name = required(a, "name");
        String project = required(a, "project");
        ObjectNode attrs = FirewallNormalizer.attributes(a.path("direction").asText("INGRESS"),
                a.path("disabled").asBoolean(false), a.path("allow"), a.path("deny"), "protocol", "ports",
                a.path("source_ranges"), a.path("destination_ranges"));
        return base(ResourceTypes.NETWORK_FIREWALL, GcpIds.FIREWALL_TYPE, project, GcpIds.GLOBAL,
                GcpIds.firewall(project, name), name).attributes(attrs).build();
    }

    private static Resource instance(JsonNode a) {
        String name = required(a, "name");
        String project = required(a, "project");
        String zone = required(a, "zone");
        ObjectNode attrs = ModelJson.mapper().createObjectNode();
        String email = a.path("service_account").path(0).path("email").asText("");
        attrs.put("identity", email.isEmpty() ? null : email);
        boolean customer = hasCustomerKey(a.path("boot_disk").path(0));
        for (JsonNode d : a.path("attached_disk")) {
            customer &= hasCustomerKey(d);
        }
        attrs.put(Attributes.ComputeInstance.DISK_ENCRYPTION, customer);
        boolean secureBoot = a.path("shielded_instance_config").path(0).path("enable_secure_boot").asBoolean(false);
        boolean osLogin = "true".equalsIgnoreCase(a.path("metadata").path("enable-oslogin").asText(""));
        attrs.put(Attributes.ComputeInstance.METADATA_HARDENED, secureBoot && osLogin);
        return base(ResourceTypes.COMPUTE_INSTANCE, GcpIds.INSTANCE_TYPE, project, zone,
                GcpIds.instance(project, zone, name), name).tags(terraformLabels(a)).attributes(attrs)
                .build();
    }

    private static boolean hasCustomerKey(JsonNode disk) {
        return !disk.path("kms_key_self_link").asText("").isEmpty()
                || !disk.path("disk_encryption_key_sha256").asText("").isEmpty();
    }

    private static Resource serviceAccount(JsonNode a) {
        String project = required(a, "project");
        ObjectNode attrs = ServiceAccountNormalizer.attributes(false);
        attrs.remove("admin");
        attrs.put("enabled", !a.path("disabled").asBoolean(false));
        return base(ResourceTypes.IDENTITY_USER, GcpIds.SERVICE_ACCOUNT_TYPE, project, GcpIds.GLOBAL,
                GcpIds.serviceAccount(project, required(a, "unique_id")), required(a, "email")).attributes(attrs)
                .build();
    }

    /** Key ids use the account's unique id, which only the {@code google_service_account} resource carries. */
    private static Resource key(TerraformInstance i, Map<String, String> uniqueIds) {
        String name = required(i.attributes(), "name");
        String project = GcpIds.segment(name, "projects").orElseThrow(() ->
                new IllegalArgumentException("attributes.name: expected projects/P/serviceAccounts/EMAIL/keys/ID"));
        String email = GcpIds.segment(name, "serviceAccounts").orElse("");
        String uniqueId = uniqueIds.get(email);
        if (uniqueId == null || uniqueId.isEmpty()) {
            return null;
        }
        String keyId = GcpIds.last(name);
        ObjectNode attrs = ModelJson.mapper().createObjectNode();
        attrs.put("active", !i.attributes().path("disabled").asBoolean(false));
        attrs.put("owner", email);
        return base(ResourceTypes.IDENTITY_KEY, GcpIds.SERVICE_ACCOUNT_KEY_TYPE, project, GcpIds.GLOBAL,
                GcpIds.serviceAccountKey(project, uniqueId, keyId), keyId).attributes(attrs).build();
    }

    /** {@code projects/P/(zones|regions)/L/instanceGroupManagers/N} of a group manager instance. */
    private static String groupPath(TerraformInstance i) {
        JsonNode a = i.attributes();
        boolean regional = i.type().equals("google_compute_region_instance_group_manager");
        return GcpIds.relative(ManagedGroups.id(required(a, "project"), regional,
                required(a, regional ? "region" : "zone"), required(a, "name")));
    }

    /** A Compute URL or relative name from {@code projects/} on (self links and ids name a group alike). */
    private static String path(String url) {
        int at = url.indexOf("projects/");
        return at < 0 ? url : url.substring(at);
    }

    /**
     * A managed instance group → {@code compute.group} through the collector's normalizer: {@code desired} is
     * {@code target_size}; an autoscaler in the state whose {@code target} is the group and whose
     * {@code autoscaling_policy[0].mode} is not {@code OFF} gives {@code min}/{@code max}
     * ({@code min_replicas}/{@code max_replicas}), else both equal {@code target_size}, as the collector reads the
     * live autoscaler. Not known from a state: {@code memberIds}, {@code utilization}; groups have no labels.
     * {@code capacity/desired} is compared only when no such autoscaler is in the state: otherwise the size is the
     * autoscaler's to move (the provider's docs: {@code target_size} "should never be set" with an autoscaler) —
     * the same rule as AWS's scaling policies and Azure's autoscale settings.
     */
    private static Resource groupManager(TerraformInstance i, List<JsonNode> autoscalers) {
        JsonNode a = i.attributes();
        boolean regional = i.type().equals("google_compute_region_instance_group_manager");
        String project = required(a, "project");
        String location = required(a, regional ? "region" : "zone");
        String id = ManagedGroups.id(project, regional, location, required(a, "name"));
        ObjectNode asset = ModelJson.mapper().createObjectNode();
        asset.putObject("resource").putObject("data").put("name", a.path("name").asText())
                .put("targetSize", a.path("target_size").asInt(0));
        boolean autoscaled = false;
        for (JsonNode s : autoscalers) {
            JsonNode policy = s.path("autoscaling_policy").path(0);
            String mode = policy.path("mode").asText("ON");
            if (!"OFF".equals(mode)) {
                autoscaled = true;
                asset.putObject("cloudwarden").putObject("autoscaler").putObject("autoscalingPolicy")
                        .put("mode", mode).put("minNumReplicas", policy.path("min_replicas").asInt())
                        .put("maxNumReplicas", policy.path("max_replicas").asInt());
            }
        }
        io.cloudwarden.engine.spi.Normalized n = new GroupCollector(java.time.Clock.systemUTC())
                .normalize(new io.cloudwarden.engine.spi.NativeItem(id, project, location, asset));
        ObjectNode attrs = n.attributes().deepCopy();
        attrs.remove(Attributes.ComputeGroup.MEMBER_IDS);
        attrs.remove(Attributes.ComputeGroup.UTILIZATION);
        if (autoscaled) {
            ((ObjectNode) attrs.get(Attributes.ComputeGroup.CAPACITY)).remove(Attributes.ComputeGroup.Capacity.DESIRED);
        }
        return base(ResourceTypes.COMPUTE_GROUP, ManagedGroups.ASSET_TYPE, project, location, id, n.name())
                .attributes(attrs).build();
    }

    private static Resource cryptoKey(JsonNode a) {
        String keyRing = required(a, "key_ring");
        String name = required(a, "name");
        String relative = keyRing + "/cryptoKeys/" + name;
        ObjectNode attrs = ModelJson.mapper().createObjectNode();
        CryptoKeyNormalizer.putRotation(attrs, a.path("rotation_period").asText(""));
        Map<String, String> labels = new LinkedHashMap<>(terraformLabels(a));
        return base(ResourceTypes.KMS_KEY, GcpIds.CRYPTO_KEY_TYPE, GcpIds.segment(keyRing, "projects").orElse(""),
                GcpIds.segment(keyRing, "locations").orElse(""), GcpIds.cryptoKey(relative), name)
                .tags(labels).attributes(attrs).build();
    }
}
