package io.cloudwarden.provider.gcp.compute.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.engine.spi.utilization.GroupUtilization;
import io.cloudwarden.model.Attributes.ComputeGroup;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.compute.instance.InstanceUtilization;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Managed instance groups of one project ({@link ManagedGroups}) with their members' CPU from one Cloud Monitoring
 * read for the whole project ({@link InstanceUtilization}). Each item is the group's Compute REST JSON in the CAI
 * asset shape, plus {@code cloudwarden.autoscaler} (or null), {@code cloudwarden.memberIds} and
 * {@code cloudwarden.utilization} ({@code {cpuAvg, cpuP95, spread, windowDays}}) or, when the metrics could not be
 * read, {@code cloudwarden.utilizationError}: the groups are still listed. A failed group read fails the shard.
 *
 * <p>Normalization: {@code desired} is {@code targetSize}; with an autoscaler whose {@code autoscalingPolicy.mode}
 * is not {@code OFF}, {@code min}/{@code max} are its {@code minNumReplicas}/{@code maxNumReplicas}, else both equal
 * {@code desired} (nothing scales the group).
 */
public final class GroupCollector implements ResourceCollector, ResourceNormalizer {
    private final InstanceUtilization utilization;

    public GroupCollector(Clock clock) {
        this.utilization = new InstanceUtilization(clock);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        items((GcpSession) session, shard.account(), ManagedGroups.read((GcpSession) session, shard.account())
                .groups()).forEach(sink);
    }

    /** One group, read with the project's listing (the group APIs have no per-group autoscaler lookup by target). */
    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        String project = io.cloudwarden.provider.gcp.GcpIds.segment(ref.id(), "projects").orElse(ref.account());
        List<ManagedGroups.Group> one = ManagedGroups.read((GcpSession) session, project).groups().stream()
                .filter(g -> g.id().equals(ref.id())).toList();
        return items((GcpSession) session, project, one).stream().findFirst();
    }

    private List<NativeItem> items(GcpSession session, String project, List<ManagedGroups.Group> groups) {
        Map<String, CpuUtilization> cpu = Map.of();
        String error = null;
        if (!groups.isEmpty()) {
            try {
                cpu = utilization.read(session, project, Optional.empty());
            } catch (ProviderException e) {
                error = e.nativeCode() == null || e.nativeCode().isEmpty() ? "unknown" : e.nativeCode();
            }
        }
        List<NativeItem> out = new ArrayList<>();
        for (ManagedGroups.Group g : groups) {
            ObjectNode asset = AssetJson.wrap(g.id(), ManagedGroups.ASSET_TYPE, g.location(), g.json());
            ObjectNode extra = asset.putObject("cloudwarden");
            extra.set("autoscaler", g.autoscaler().<JsonNode>map(a -> a).orElse(NullNode.instance));
            ArrayNode ids = extra.putArray("memberIds");
            List<CpuUtilization> read = new ArrayList<>();
            for (ManagedGroups.Member m : g.members()) {
                ids.add(m.id());
                Optional.ofNullable(cpu.get(m.instanceId())).ifPresent(read::add);
            }
            if (error != null) {
                extra.put("utilizationError", error);
                extra.putNull("utilization");
            } else {
                extra.set("utilization", GroupUtilization.toJson(GroupUtilization.of(read)));
            }
            out.add(new NativeItem(g.id(), project, g.location(), asset));
        }
        return out;
    }

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode data = AssetJson.data(item.json());
        JsonNode extra = item.json().path("cloudwarden");
        int desired = data.path("targetSize").asInt(0);
        int min = desired;
        int max = desired;
        JsonNode policy = extra.path("autoscaler").path("autoscalingPolicy");
        if (policy.isObject() && !"OFF".equals(policy.path("mode").asText(""))) {
            min = policy.path("minNumReplicas").asInt(desired);
            max = policy.path("maxNumReplicas").asInt(desired);
        }
        ObjectNode a = ComputeGroup.of(min, max, desired, extra.path("memberIds"), extra.get("utilization"));
        return new Normalized(data.path("name").asText(""), Map.of(), a);
    }
}
