package io.cloudwarden.provider.azure.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.ArmId;
import io.cloudwarden.provider.azure.AzureProvider;
import io.cloudwarden.provider.azure.AzureType;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.compute.group.ScaleSets;
import io.cloudwarden.provider.azure.compute.instance.VirtualMachines;
import io.cloudwarden.provider.azure.kms.key.KeyVaultKeys;
import io.cloudwarden.provider.azure.network.firewall.NetworkSecurityGroups;
import io.cloudwarden.provider.azure.storage.bucket.StorageAccounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code azurerm_*} instances → normalized resources with the collectors' ids (ARM ids) and attribute rules.
 * Attributes a state cannot know are omitted so the drift engine does not compare them: a VM's power {@code state},
 * a storage account's {@code logging} (diagnostic settings are separate resources) and a key's {@code enabled}
 * ({@code azurerm_key_vault_key} has no such argument). Containers fold into their account's {@code publicAccess};
 * standalone {@code azurerm_network_security_rule}s fold into their NSG's rules.
 */
public final class AzureBaselineMapper implements BaselineMapper {
    static final String ACCOUNT = "azurerm_storage_account";
    static final String CONTAINER = "azurerm_storage_container";
    static final String NSG = "azurerm_network_security_group";
    static final String NSG_RULE = "azurerm_network_security_rule";
    static final String LINUX_VM = "azurerm_linux_virtual_machine";
    static final String WINDOWS_VM = "azurerm_windows_virtual_machine";
    static final String KEY = "azurerm_key_vault_key";
    /** The scale set types ({@code compute.group}); the legacy one holds its size in {@code sku[0].capacity}. */
    static final Set<String> SCALE_SETS = Set.of("azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set", "azurerm_orchestrated_virtual_machine_scale_set",
            "azurerm_virtual_machine_scale_set");
    static final String AUTOSCALE = "azurerm_monitor_autoscale_setting";

    /** What the types declare ({@link AzureType#terraformTypes()}); {@code AzureBaselineMapperTest} maps each one. */
    @Override
    public Set<String> terraformTypes() {
        Set<String> all = new TreeSet<>();
        AzureProvider.TYPES.forEach(t -> all.addAll(t.terraformTypes()));
        return all;
    }

    /** From the type's declaration ({@link io.cloudwarden.provider.azure.AzureType#terraformImport}). */
    @Override
    public java.util.Optional<io.cloudwarden.engine.spi.TerraformImport> terraformImport(
            io.cloudwarden.model.Resource observed) {
        return type(observed.type()).map(t -> t.terraformImport(observed));
    }

    private static java.util.Optional<io.cloudwarden.provider.azure.AzureType> type(String type) {
        return io.cloudwarden.provider.azure.AzureProvider.TYPES.stream()
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
        Map<String, TerraformInstance> accountsByName = new LinkedHashMap<>();
        Map<String, List<JsonNode>> containersByAccount = new LinkedHashMap<>();
        Map<String, TerraformInstance> nsgsById = new LinkedHashMap<>();
        Map<String, List<NetworkSecurityGroups.Rule>> extraRules = new LinkedHashMap<>();
        Map<String, TerraformInstance> scaleSetsById = new LinkedHashMap<>();
        Map<String, List<TerraformInstance>> autoscaleByTarget = new LinkedHashMap<>();
        for (TerraformInstance ti : instances) {
            JsonNode a = ti.attributes();
            switch (ti.type()) {
                case ACCOUNT -> accountsByName.put(a.path("name").asText("").toLowerCase(Locale.ROOT), ti);
                case NSG -> nsgsById.put(requireId(ti).toLowerCase(Locale.ROOT), ti);
                default -> {
                    if (SCALE_SETS.contains(ti.type())) {
                        scaleSetsById.put(requireId(ti).toLowerCase(Locale.ROOT), ti);
                    }
                }
            }
        }
        for (TerraformInstance ti : instances) {
            JsonNode a = ti.attributes();
            switch (ti.type()) {
                case CONTAINER -> {
                    String account = a.path("storage_account_name").asText("");
                    if (account.isEmpty()) {
                        account = ArmId.name(a.path("storage_account_id").asText(""));
                    }
                    String key = account.toLowerCase(Locale.ROOT);
                    if (accountsByName.containsKey(key)) {
                        containersByAccount.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                    } else {
                        notCompared.add(new NotCompared("terraform", ti.address(),
                                "storage account '" + account + "' of this container is not in the state"));
                    }
                }
                case NSG_RULE -> {
                    String parent = ArmId.parent(requireId(ti), "securityRules").toLowerCase(Locale.ROOT);
                    if (nsgsById.containsKey(parent)) {
                        extraRules.computeIfAbsent(parent, k -> new ArrayList<>()).add(rule(a));
                    } else {
                        notCompared.add(new NotCompared("terraform", ti.address(),
                                "network security group of this rule is not in the state"));
                    }
                }
                case LINUX_VM, WINDOWS_VM -> out.add(vm(ti));
                case KEY -> out.add(key(ti));
                case AUTOSCALE -> {
                    String target = a.path("target_resource_id").asText("").toLowerCase(Locale.ROOT);
                    if (scaleSetsById.containsKey(target)) {
                        autoscaleByTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(ti);
                    } else {
                        notCompared.add(new NotCompared("terraform", ti.address(), "the target of this autoscale "
                                + "setting (" + a.path("target_resource_id").asText("") + ") is not a scale set "
                                + "in the state"));
                    }
                }
                case ACCOUNT, NSG -> { }
                default -> {
                    if (SCALE_SETS.contains(ti.type())) {
                        continue;
                    }
                    if (ti.type().startsWith("azurerm_")) {
                        notCompared.add(new NotCompared("terraform", ti.address(),
                                "Terraform type " + ti.type() + " is not mapped by the Azure provider"));
                    }
                }
            }
        }
        accountsByName.forEach((name, ti) -> out.add(account(ti, containersByAccount.getOrDefault(name, List.of()))));
        nsgsById.forEach((id, ti) -> out.add(nsg(ti, extraRules.getOrDefault(id, List.of()))));
        scaleSetsById.forEach((id, ti) -> out.add(scaleSet(ti, autoscaleByTarget.getOrDefault(id, List.of()))));
        return new BaselineResult(out, notCompared);
    }

    private static String requireId(TerraformInstance ti) {
        String id = ti.attributes().path("id").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException(ti.address() + ".id: expected the ARM resource id in the state");
        }
        return id;
    }

    private static Resource.Builder base(TerraformInstance ti, String type, String nativeType, String id) {
        JsonNode a = ti.attributes();
        return Resource.builder().cloud(Cloud.AZURE).account(ArmId.subscription(id).orElse(""))
                .region(a.path("location").asText("")).type(type).id(id).name(a.path("name").asText(""))
                .nativeType(nativeType).tags(Json.tags(a.path("tags"))).raw(a);
    }

    private static Resource account(TerraformInstance ti, List<JsonNode> containers) {
        JsonNode a = ti.attributes();
        ObjectNode attrs = Json.nodes().objectNode();
        boolean allow = a.has("allow_nested_items_to_be_public")
                ? a.path("allow_nested_items_to_be_public").asBoolean(false)
                : a.path("allow_blob_public_access").asBoolean(false);
        boolean anyPublic = containers.stream().anyMatch(
                c -> StorageAccounts.isPublicLevel(c.path("container_access_type").asText("private")));
        attrs.put(Attributes.StorageBucket.PUBLIC_ACCESS, allow && anyPublic);
        ObjectNode enc = attrs.putObject("encryption");
        enc.put("enabled", true);
        JsonNode cmk = a.path("customer_managed_key");
        enc.put("keyType", cmk.isArray() && cmk.size() > 0 ? "customer-managed" : "provider-managed");
        attrs.put("versioning", a.path("blob_properties").path(0).path("versioning_enabled").asBoolean(false));
        Optional<String> tls = Json.text(a, "min_tls_version").map(StorageAccounts::tlsVersion);
        if (tls.isPresent()) {
            attrs.put(Attributes.StorageBucket.MIN_TLS_VERSION, tls.get());
        } else {
            attrs.putNull(Attributes.StorageBucket.MIN_TLS_VERSION);
        }
        JsonNode https = a.has("https_traffic_only_enabled") ? a.path("https_traffic_only_enabled")
                : a.path("enable_https_traffic_only");
        attrs.put("httpsOnly", https.asBoolean(true));
        return base(ti, ResourceTypes.STORAGE_BUCKET, StorageAccounts.NATIVE_TYPE, requireId(ti))
                .attributes(attrs).build();
    }

    private static Resource nsg(TerraformInstance ti, List<NetworkSecurityGroups.Rule> extra) {
        Map<String, NetworkSecurityGroups.Rule> byName = new LinkedHashMap<>();
        for (JsonNode r : Json.array(ti.attributes().path("security_rule"))) {
            NetworkSecurityGroups.Rule rule = rule(r);
            byName.put(rule.name().toLowerCase(Locale.ROOT), rule);
        }
        extra.forEach(r -> byName.put(r.name().toLowerCase(Locale.ROOT), r));
        return base(ti, ResourceTypes.NETWORK_FIREWALL, NetworkSecurityGroups.NATIVE_TYPE, requireId(ti))
                .attributes(NetworkSecurityGroups.attributes(List.copyOf(byName.values()))).build();
    }

    static NetworkSecurityGroups.Rule rule(JsonNode r) {
        return new NetworkSecurityGroups.Rule(r.path("name").asText(""), r.path("priority").asInt(),
                r.path("direction").asText("Inbound"), r.path("access").asText("Allow"),
                r.path("protocol").asText("*"),
                merge(r, "source_address_prefix", "source_address_prefixes"),
                merge(r, "destination_address_prefix", "destination_address_prefixes"),
                merge(r, "destination_port_range", "destination_port_ranges"));
    }

    private static List<String> merge(JsonNode r, String single, String many) {
        TreeSet<String> out = new TreeSet<>();
        Json.text(r, single).ifPresent(out::add);
        for (JsonNode n : Json.array(r.path(many))) {
            if (!n.asText("").isEmpty()) {
                out.add(n.asText());
            }
        }
        return List.copyOf(out);
    }

    private static Resource vm(TerraformInstance ti) {
        JsonNode a = ti.attributes();
        ObjectNode attrs = Json.nodes().objectNode();
        putOrNull(attrs, "publicIp", Json.text(a, "public_ip_address"));
        Optional<String> image = Json.text(a, "source_image_id");
        if (image.isEmpty()) {
            JsonNode ref = a.path("source_image_reference").path(0);
            ObjectNode arm = Json.nodes().objectNode();
            Json.text(ref, "publisher").ifPresent(v -> arm.put("publisher", v));
            Json.text(ref, "offer").ifPresent(v -> arm.put("offer", v));
            Json.text(ref, "sku").ifPresent(v -> arm.put("sku", v));
            Json.text(ref, "version").ifPresent(v -> arm.put("version", v));
            image = VirtualMachines.imageId(arm);
        }
        putOrNull(attrs, "imageId", image);
        JsonNode identity = a.path("identity").path(0);
        Optional<String> principal = Optional.empty();
        if (identity.path("type").asText("").contains("SystemAssigned")) {
            principal = Json.text(identity, "principal_id");
        }
        if (principal.isEmpty()) {
            List<String> ids = new ArrayList<>();
            Json.array(identity.path("identity_ids")).forEach(n -> ids.add(n.asText()));
            principal = ids.stream().sorted(String.CASE_INSENSITIVE_ORDER).findFirst();
        }
        putOrNull(attrs, "identity", principal);
        // azurerm_*_virtual_machine only creates managed disks, which Azure always encrypts at rest.
        attrs.put(Attributes.ComputeInstance.DISK_ENCRYPTION, true);
        attrs.put(Attributes.ComputeInstance.METADATA_HARDENED, true);
        return base(ti, ResourceTypes.COMPUTE_INSTANCE, VirtualMachines.NATIVE_TYPE, requireId(ti))
                .attributes(attrs).build();
    }

    /**
     * A scale set → {@code compute.group} through the collector's normalizer ({@link ScaleSets#normalize}): the size
     * is {@code instances} ({@code sku[0].capacity} on the legacy {@code azurerm_virtual_machine_scale_set}); an
     * enabled {@code azurerm_monitor_autoscale_setting} whose {@code target_resource_id} is the set gives
     * {@code min}/{@code max} from its {@code profile[].capacity[]} {@code minimum}/{@code maximum}, as the collector
     * reads the live setting. Not known from a state: {@code memberIds}, {@code utilization}. {@code capacity/desired}
     * is compared only when the state declares no enabled autoscale setting for the set: otherwise the size is the
     * autoscaler's to move (the same rule as AWS's scaling policies and GCP's autoscalers). A set whose size the
     * state does not hold ({@code instances} absent or null, as an orchestrated set may have) has no
     * {@code capacity} compared.
     */
    private static Resource scaleSet(TerraformInstance ti, List<TerraformInstance> autoscale) {
        JsonNode a = ti.attributes();
        JsonNode size = "azurerm_virtual_machine_scale_set".equals(ti.type())
                ? a.path("sku").path(0).path("capacity") : a.path("instances");
        ObjectNode j = Json.nodes().objectNode();
        j.put("name", a.path("name").asText(""));
        j.set("tags", a.path("tags").isObject() ? a.get("tags") : Json.nodes().objectNode());
        j.putObject("sku").put("capacity", size.asInt(0));
        ObjectNode extra = j.putObject("cloudwarden");
        boolean autoscaled = false;
        for (TerraformInstance s : autoscale) {
            JsonNode sa = s.attributes();
            if (!sa.path("enabled").asBoolean(true)) {
                continue;
            }
            autoscaled = true;
            ObjectNode props = extra.putObject("autoscaleSetting").putObject("properties").put("enabled", true);
            var profiles = props.putArray("profiles");
            for (JsonNode p : Json.array(sa.path("profile"))) {
                JsonNode c = p.path("capacity").path(0);
                profiles.addObject().putObject("capacity").put("minimum", c.path("minimum").asText(""))
                        .put("maximum", c.path("maximum").asText(""));
            }
        }
        String id = requireId(ti);
        ObjectNode attrs = ScaleSets.normalize(new io.cloudwarden.engine.spi.NativeItem(id,
                ArmId.subscription(id).orElse(""), a.path("location").asText(""), j)).attributes().deepCopy();
        attrs.remove(Attributes.ComputeGroup.MEMBER_IDS);
        attrs.remove(Attributes.ComputeGroup.UTILIZATION);
        if (!size.isNumber()) {
            attrs.remove(Attributes.ComputeGroup.CAPACITY);
        } else if (autoscaled) {
            ((ObjectNode) attrs.get(Attributes.ComputeGroup.CAPACITY)).remove(Attributes.ComputeGroup.Capacity.DESIRED);
        }
        return base(ti, ResourceTypes.COMPUTE_GROUP, ScaleSets.NATIVE_TYPE, id).attributes(attrs).build();
    }

    private static Resource key(TerraformInstance ti) {
        JsonNode a = ti.attributes();
        String id = Json.text(a, "resource_id").orElseGet(() -> {
            String vault = Json.text(a, "key_vault_id").orElseThrow(() -> new IllegalArgumentException(
                    ti.address() + ".resource_id: expected the key's ARM id (or key_vault_id and name)"));
            return vault + "/keys/" + a.path("name").asText("");
        });
        ObjectNode attrs = Json.nodes().objectNode();
        JsonNode policy = a.path("rotation_policy").path(0);
        JsonNode automatic = policy.path("automatic").path(0);
        boolean rotation = automatic.isObject();
        attrs.put(Attributes.KmsKey.ROTATION_ENABLED, rotation);
        OptionalInt period = rotation ? KeyVaultKeys.rotationPeriod(Json.text(automatic, "time_after_creation"),
                Json.text(automatic, "time_before_expiry"), Json.text(policy, "expire_after")) : OptionalInt.empty();
        if (period.isPresent()) {
            attrs.put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, period.getAsInt());
        } else {
            attrs.putNull(Attributes.KmsKey.ROTATION_PERIOD_DAYS);
        }
        return base(ti, ResourceTypes.KMS_KEY, KeyVaultKeys.NATIVE_TYPE, id).region("").attributes(attrs).build();
    }

    private static void putOrNull(ObjectNode a, String field, Optional<String> value) {
        if (value.isPresent()) {
            a.put(field, value.get());
        } else {
            a.putNull(field);
        }
    }
}
