package io.cloudwarden.provider.gcp.compute.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.compute.v1.Autoscaler;
import com.google.cloud.compute.v1.InstanceGroupManager;
import com.google.cloud.compute.v1.ManagedInstance;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed instance groups of one project, zonal and regional, with their members and autoscalers: one paged
 * {@code instanceGroupManagers.aggregatedList} (every zone and region of the project), one paged
 * {@code autoscalers.aggregatedList}, and per group one paged {@code listManagedInstances} (zonal or regional): per
 * group, never per instance. A failed call throws {@link io.cloudwarden.engine.spi.ProviderException}; the caller
 * decides what it leaves unread (the group shard fails; an instance's {@code group} stays null with the reason).
 */
public final class ManagedGroups {
    public static final List<String> PERMISSIONS = List.of("compute.instanceGroupManagers.list",
            "compute.instanceGroupManagers.get", "compute.autoscalers.list");
    /** The CAI asset type of a managed instance group (the items are wrapped in the CAI asset shape). */
    public static final String ASSET_TYPE = "compute.googleapis.com/InstanceGroupManager";

    /** One member: its {@code compute.instance} id and its numeric instance id (Cloud Monitoring's label). */
    public record Member(String id, String instanceId) {
    }

    /** One group: its id, location (zone or region), the group's REST JSON, members and autoscaler (or empty). */
    public record Group(String id, String location, ObjectNode json, List<Member> members,
            Optional<ObjectNode> autoscaler) {
    }

    public record Groups(List<Group> groups) {
        /** {@code compute.instance} id → the id of the group it is a member of. */
        public Map<String, String> groupOfInstance() {
            Map<String, String> out = new HashMap<>();
            groups.forEach(g -> g.members().forEach(m -> out.put(m.id(), g.id())));
            return out;
        }
    }

    private ManagedGroups() {
    }

    /** The id of a group: {@code //compute.googleapis.com/projects/P/(zones|regions)/L/instanceGroupManagers/N}. */
    public static String id(String project, boolean regional, String location, String name) {
        return "//compute.googleapis.com/projects/" + project + "/" + (regional ? "regions/" : "zones/") + location
                + "/instanceGroupManagers/" + name;
    }

    public static Groups read(GcpSession session, String project) {
        List<InstanceGroupManager> managers = new ArrayList<>();
        try {
            for (var scoped : session.groupManagers().aggregatedList(project).iterateAll()) {
                managers.addAll(scoped.getValue().getInstanceGroupManagersList());
            }
        } catch (RuntimeException e) {
            throw GcpErrors.map("compute:instanceGroupManagers.aggregatedList(" + project + ")", e);
        }
        Map<String, ObjectNode> autoscalerOf = new HashMap<>();
        if (!managers.isEmpty()) {
            try {
                for (var scoped : session.autoscalers().aggregatedList(project).iterateAll()) {
                    for (Autoscaler a : scoped.getValue().getAutoscalersList()) {
                        autoscalerOf.put(path(a.getTarget()), AssetJson.fromProto(a));
                    }
                }
            } catch (RuntimeException e) {
                throw GcpErrors.map("compute:autoscalers.aggregatedList(" + project + ")", e);
            }
        }
        List<Group> out = new ArrayList<>();
        for (InstanceGroupManager m : managers) {
            boolean regional = m.hasRegion() && !m.getRegion().isEmpty();
            String location = GcpIds.last(regional ? m.getRegion() : m.getZone());
            String operation = "compute:instanceGroupManagers.listManagedInstances(" + location + "/" + m.getName()
                    + ")";
            List<Member> members = new ArrayList<>();
            try {
                Iterable<ManagedInstance> listed = regional
                        ? session.regionGroupManagers().listManagedInstances(project, location, m.getName())
                                .iterateAll()
                        : session.groupManagers().listManagedInstances(project, location, m.getName()).iterateAll();
                for (ManagedInstance i : listed) {
                    member(i).ifPresent(members::add);
                }
            } catch (RuntimeException e) {
                throw GcpErrors.map(operation, e);
            }
            out.add(new Group(id(project, regional, location, m.getName()), location, AssetJson.fromProto(m),
                    members, Optional.ofNullable(autoscalerOf.get(path(m.getSelfLink())))));
        }
        return new Groups(out);
    }

    /**
     * The group an instance's {@code created-by} metadata names (a managed instance group sets it on the instances it
     * creates: {@code projects/NUMBER/zones/Z/instanceGroupManagers/N}, regional {@code regions/R}); the group id
     * carries the project id, so {@code project} replaces the number.
     */
    public static Optional<String> createdBy(String project, com.fasterxml.jackson.databind.JsonNode instance) {
        for (var item : instance.path("metadata").path("items")) {
            if ("created-by".equals(item.path("key").asText())) {
                String v = item.path("value").asText("");
                if (!v.contains("/instanceGroupManagers/")) {
                    return Optional.empty();
                }
                Optional<String> zone = GcpIds.segment(v, "zones");
                Optional<String> region = GcpIds.segment(v, "regions");
                if (zone.isEmpty() && region.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(id(project, zone.isEmpty(), zone.orElseGet(region::get), GcpIds.last(v)));
            }
        }
        return Optional.empty();
    }

    /** {@code https://www.googleapis.com/compute/v1/projects/P/zones/Z/instances/N} → the instance's id. */
    private static Optional<Member> member(ManagedInstance i) {
        String url = i.getInstance();
        Optional<String> project = GcpIds.segment(url, "projects");
        Optional<String> zone = GcpIds.segment(url, "zones");
        if (project.isEmpty() || zone.isEmpty() || !url.contains("/instances/")) {
            return Optional.empty(); // an instance still being created has no URL yet
        }
        return Optional.of(new Member(GcpIds.instance(project.get(), zone.get(), GcpIds.last(url)),
                i.hasId() ? Long.toUnsignedString(i.getId()) : ""));
    }

    /** A Compute URL from {@code projects/} on (hosts differ: www.googleapis.com, compute.googleapis.com). */
    private static String path(String url) {
        int at = url.indexOf("/projects/");
        return at < 0 ? url : url.substring(at);
    }
}
