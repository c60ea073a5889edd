package io.cloudwarden.provider.azure.compute.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.engine.spi.utilization.GroupUtilization;
import io.cloudwarden.model.Attributes.ComputeGroup;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.ArmId;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.compute.instance.InstanceUtilization;
import io.cloudwarden.provider.azure.compute.instance.InstanceUtilization.Target;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Virtual machine scale sets → {@code compute.group}, per subscription shard with four paged Resource Graph queries
 * (never one call per scale set or VM) and the members' CPU from the Azure Monitor metrics batch API:
 *
 * <ol>
 *   <li>the scale sets ({@code resources}, type {@code Microsoft.Compute/virtualMachineScaleSets});</li>
 *   <li>their autoscale settings ({@code microsoft.insights/autoscalesettings}, matched by
 *       {@code properties.targetResourceUri});</li>
 *   <li>the members of Flexible-orchestration sets: the {@code Microsoft.Compute/virtualMachines} whose
 *       {@code properties.virtualMachineScaleSet.id} names the set (the same VMs {@code compute.instance} lists, so
 *       their ids are {@code compute.instance} ids and their {@code group} is the set);</li>
 *   <li>the instances of Uniform-orchestration sets ({@code computeresources}, type
 *       {@code microsoft.compute/virtualmachinescalesets/virtualmachines}). They are not
 *       {@code Microsoft.Compute/virtualMachines} resources and Cloudwarden does not list them as
 *       {@code compute.instance}: {@code memberIds} names them by their ARM id ({@code .../virtualMachineScaleSets/S/
 *       virtualMachines/0}) and their CPU is read in the metric namespace
 *       {@code Microsoft.Compute/virtualMachineScaleSets/virtualMachines}.</li>
 * </ol>
 *
 * <p>{@code capacity}: {@code desired} is {@code sku.capacity}. When an <em>enabled</em> autoscale setting targets the
 * set, {@code min}/{@code max} are the smallest {@code capacity.minimum} and the largest {@code capacity.maximum}
 * over its profiles (the range autoscale may move the set within, whichever profile is active); without one (or
 * with a disabled one) the set does not scale by itself and {@code min} = {@code max} = {@code desired}.
 *
 * <p>A failed Resource Graph query fails the shard (a recorded scan error, never a silent gap); a failed metrics
 * read leaves {@code utilization} null and keeps {@code cloudwarden.utilizationError} (the error code) on the JSON.
 */
public final class ScaleSets implements ResourceCollector {
    public static final String NATIVE_TYPE = "Microsoft.Compute/virtualMachineScaleSets";
    public static final String API = "2024-07-01";
    public static final List<String> PERMISSIONS = List.of("Microsoft.ResourceGraph/resources/read",
            "Microsoft.Compute/virtualMachineScaleSets/read",
            "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
            "Microsoft.Compute/virtualMachines/read", "Microsoft.Insights/autoscalesettings/read",
            "Microsoft.Insights/metrics/read");
    private static final String OPERATION = "Microsoft.ResourceGraph/resources/read";
    static final String SETS = "resources | where type =~ '" + NATIVE_TYPE + "'";
    static final String AUTOSCALE = "resources | where type =~ 'microsoft.insights/autoscalesettings'";
    static final String FLEXIBLE_MEMBERS = "resources | where type =~ 'Microsoft.Compute/virtualMachines'"
            + " | where isnotempty(properties.virtualMachineScaleSet.id)";
    static final String UNIFORM_MEMBERS = "computeresources"
            + " | where type =~ 'microsoft.compute/virtualmachinescalesets/virtualmachines'";

    private final InstanceUtilization utilization;

    public ScaleSets(Clock clock) {
        this.utilization = new InstanceUtilization(clock);
    }

    public static ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.COMPUTE_GROUP, NATIVE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), PERMISSIONS, new ScaleSets(Clock.systemUTC()),
                ScaleSets::normalize);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AzureSession az = (AzureSession) session;
        List<ObjectNode> sets = new ArrayList<>();
        query(az, shard.account(), SETS + " | order by id asc", row -> sets.add((ObjectNode) row.deepCopy()));
        items(az, shard.account(), sets, "").forEach(sink);
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        AzureSession az = (AzureSession) session;
        Optional<JsonNode> got = az.arm().get(ref.id(), API, NATIVE_TYPE + "/read");
        if (got.isEmpty() || !got.get().isObject()) {
            return Optional.empty();
        }
        ObjectNode set = (ObjectNode) got.get().deepCopy();
        String id = set.path("id").asText(ref.id());
        String subscription = ArmId.subscription(id).orElse(ref.account());
        return items(az, subscription, List.of(set), id.replace("'", "")).stream().findFirst();
    }

    /** The items of {@code sets}; {@code only} narrows the member and autoscale queries to one set (fetch). */
    private List<NativeItem> items(AzureSession az, String subscription, List<ObjectNode> sets, String only) {
        if (sets.isEmpty()) {
            return List.of(); // no scale set: nothing to join, no member or metrics query
        }
        Map<String, JsonNode> autoscale = new HashMap<>();
        query(az, subscription, AUTOSCALE + (only.isEmpty() ? "" : " | where properties.targetResourceUri =~ '"
                + only + "'") + " | order by id asc", row -> {
                    String target = row.path("properties").path("targetResourceUri").asText("");
                    if (!target.isEmpty()) {
                        autoscale.merge(key(target), row, (a, b) -> a);
                    }
                });
        Map<String, List<Target>> flexible = new HashMap<>();
        query(az, subscription, FLEXIBLE_MEMBERS + (only.isEmpty() ? ""
                : " | where properties.virtualMachineScaleSet.id =~ '" + only + "'")
                + " | project id, location, scaleSetId = tostring(properties.virtualMachineScaleSet.id)"
                + " | order by id asc", row -> {
                    String set = row.path("scaleSetId").asText(
                            row.path("properties").path("virtualMachineScaleSet").path("id").asText(""));
                    if (!set.isEmpty()) {
                        flexible.computeIfAbsent(key(set), k -> new ArrayList<>()).add(target(row));
                    }
                });
        Map<String, List<Target>> uniform = new HashMap<>();
        query(az, subscription, UNIFORM_MEMBERS + (only.isEmpty() ? "" : " | where id startswith '" + only + "/'")
                + " | project id, location | order by id asc", row -> {
                    String id = row.path("id").asText("");
                    String set = ArmId.parent(id, "virtualMachines");
                    if (!set.equals(id)) {
                        uniform.computeIfAbsent(key(set), k -> new ArrayList<>()).add(target(row));
                    }
                });
        InstanceUtilization.Reading vms = utilization.read(az, subscription, InstanceUtilization.VM_NAMESPACE,
                flexible.values().stream().flatMap(List::stream).toList());
        InstanceUtilization.Reading instances = utilization.read(az, subscription,
                InstanceUtilization.SCALE_SET_VM_NAMESPACE, uniform.values().stream().flatMap(List::stream).toList());
        List<NativeItem> out = new ArrayList<>();
        for (ObjectNode set : sets) {
            String id = set.path("id").asText("");
            ObjectNode extra = set.putObject("cloudwarden");
            extra.set("autoscaleSetting", autoscale.getOrDefault(key(id), NullNode.instance));
            ArrayNode memberIds = extra.putArray("memberIds");
            List<CpuUtilization> read = new ArrayList<>();
            String error = null;
            for (var members : List.of(Map.entry(flexible, vms), Map.entry(uniform, instances))) {
                for (Target m : members.getKey().getOrDefault(key(id), List.of())) {
                    memberIds.add(m.id());
                    members.getValue().value(m.id()).ifPresent(read::add);
                    error = error != null ? error : members.getValue().error(m.id()).orElse(null);
                }
            }
            if (error != null) {
                extra.put("utilizationError", error);
                extra.putNull("utilization");
            } else {
                extra.set("utilization", GroupUtilization.toJson(GroupUtilization.of(read)));
            }
            out.add(new NativeItem(id, subscription, set.path("location").asText(""), set));
        }
        return out;
    }

    private static Target target(JsonNode row) {
        return new Target(row.path("id").asText(), row.path("location").asText(""));
    }

    private static void query(AzureSession az, String subscription, String kql, Consumer<JsonNode> sink) {
        az.arm().resourceGraph(subscription, kql, OPERATION, row -> {
            if (!row.isObject() || row.path("id").asText("").isEmpty()) {
                throw new ProviderException(Cloud.AZURE, OPERATION, "MalformedResponse", false,
                        "Resource Graph row without an 'id' for " + NATIVE_TYPE + " (" + kql + ")");
            }
            sink.accept(row);
        });
    }

    private static String key(String armId) {
        return armId.toLowerCase(Locale.ROOT);
    }

    public static Normalized normalize(NativeItem item) {
        JsonNode json = item.json();
        JsonNode extra = json.path("cloudwarden");
        int desired = json.path("sku").path("capacity").asInt(0);
        int min = desired;
        int max = desired;
        JsonNode setting = extra.path("autoscaleSetting").path("properties");
        if (setting.isObject() && setting.path("enabled").asBoolean(true)) {
            Integer lo = null;
            Integer hi = null;
            for (JsonNode profile : Json.array(setting.path("profiles"))) {
                Integer pmin = count(profile.path("capacity").path("minimum"));
                Integer pmax = count(profile.path("capacity").path("maximum"));
                lo = pmin == null ? lo : lo == null ? pmin : Math.min(lo, pmin);
                hi = pmax == null ? hi : hi == null ? pmax : Math.max(hi, pmax);
            }
            if (lo != null && hi != null) {
                min = lo;
                max = hi;
            }
        }
        ObjectNode a = ComputeGroup.of(min, max, desired, extra.path("memberIds"), extra.get("utilization"));
        return new Normalized(json.path("name").asText(""), Json.tags(json.path("tags")), a);
    }

    /** Autoscale capacities are strings on the wire ({@code "minimum": "2"}); a number is accepted too. */
    private static Integer count(JsonNode v) {
        if (v.isInt()) {
            return v.asInt();
        }
        try {
            return v.isTextual() ? Integer.parseInt(v.asText().trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
