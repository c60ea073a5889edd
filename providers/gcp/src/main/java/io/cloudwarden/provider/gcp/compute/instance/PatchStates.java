package io.cloudwarden.provider.gcp.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.InstancePatch;
import io.cloudwarden.model.InstancePatch.OsInfo;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.GcpRest;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Patch state of Compute Engine instances from VM Manager (OS Config API v1), read per zone for every instance of
 * the zone at once ({@code instances/-}), never one call per instance: {@code inventories} ({@code view=FULL}: the OS
 * and the packages the agent reports as available) and {@code vulnerabilityReports} (the CVEs of each instance with
 * the inventory items that fix them), both paged with {@code pageToken}.
 *
 * <p>Why these two: OS Config has no per-instance "patch compliance" resource (patch jobs report only their own
 * runs). The inventory is what the OS Config agent reports about the guest, so its presence is the registration
 * signal, and its available packages are the missing updates; the vulnerability report is the only place OS Config
 * classifies them by severity.
 *
 * <p>Normalization: an instance with no inventory is {@code managed: false} (the OS Config agent does not report;
 * the API answered for its zone). {@code missingCritical}: the distinct available items that fix a vulnerability of
 * severity {@code CRITICAL}; {@code missingSecurity}: those fixing any other vulnerability; {@code missingOther}: the
 * remaining available packages. Without a vulnerability report (not generated yet, or an OS it does not cover)
 * critical and security are null and every available package counts as other. {@code lastAssessedAt} is the
 * inventory's {@code updateTime}; {@code lastInstalledAt} and {@code rebootPending} are null (OS Config does not
 * report them per instance). {@code os} comes from the inventory's {@code osInfo}: family windows when
 * {@code shortName} is {@code windows}, else linux (OS Config's agent runs only on Windows and Linux guests).
 * A zone whose reads fail (API disabled, no permission) leaves its instances' {@code os} and {@code patch} null.
 */
public final class PatchStates implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("osconfig.inventories.list",
            "osconfig.vulnerabilityReports.list");
    private static final int PAGE_SIZE = 200;

    private final ResourceCollector instances;

    private PatchStates(ResourceCollector instances) {
        this.instances = instances;
    }

    public static ResourceCollector wrap(ResourceCollector instances) {
        return new PatchStates(instances);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        List<NativeItem> items = new ArrayList<>();
        instances.collect(session, shard, items::add);
        Set<String> zones = new LinkedHashSet<>();
        items.forEach(i -> GcpIds.segment(i.id(), "zones").ifPresent(zones::add));
        Map<String, Map<String, ObjectNode>> byZone = new HashMap<>();
        for (String zone : zones) {
            byZone.put(zone, read((GcpSession) session, shard.account(), zone));
        }
        for (NativeItem item : items) {
            sink.accept(attach(item, byZone.get(GcpIds.segment(item.id(), "zones").orElse(""))));
        }
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        return instances.fetch(session, ref).map(item -> {
            String zone = GcpIds.segment(item.id(), "zones").orElse("");
            return attach(item, zone.isEmpty() ? null : read((GcpSession) session, item.account(), zone));
        });
    }

    private static final String UNREAD = "";

    private static NativeItem attach(NativeItem item, Map<String, ObjectNode> zone) {
        if (zone == null || !(item.json() instanceof ObjectNode asset)) {
            return item;
        }
        JsonNode data = AssetJson.data(asset);
        ObjectNode state = zone.containsKey(UNREAD) ? zone.get(UNREAD)
                : zone.getOrDefault(data.path("id").asText(""), zone.get(data.path("name").asText("")));
        if (state == null) {
            state = ModelJson.mapper().createObjectNode().put("read", true);
            state.putNull("inventory");
        }
        asset.set("cloudwarden", ModelJson.mapper().createObjectNode().set("patch", state));
        return item;
    }

    /** The instance id (or name) → {@code {"read", "inventory", "vulnerabilityReport"}} of one zone. */
    static Map<String, ObjectNode> read(GcpSession session, String project, String zone) {
        Map<String, ObjectNode> out = new HashMap<>();
        String parent = "projects/" + project + "/locations/" + zone + "/instances/-";
        try {
            list(session, parent + "/inventories", "inventories", "&view=FULL", inv -> {
                ObjectNode s = state(out, instanceOf(inv.path("name").asText()));
                s.set("inventory", summary(inv));
            });
            list(session, parent + "/vulnerabilityReports", "vulnerabilityReports", "", rep -> {
                ObjectNode s = state(out, instanceOf(rep.path("name").asText()));
                s.set("vulnerabilityReport", rep);
            });
        } catch (ProviderException e) {
            out.clear();
            ObjectNode n = ModelJson.mapper().createObjectNode().put("read", false);
            n.put("error", e.nativeCode() == null ? "unknown" : e.nativeCode());
            out.put(UNREAD, n);
        }
        return out;
    }

    /**
     * The inventory without its installed packages (kept small: the available ones are what the patch state needs).
     */
    private static ObjectNode summary(JsonNode inventory) {
        ObjectNode s = ModelJson.mapper().createObjectNode();
        s.set("osInfo", inventory.path("osInfo"));
        s.set("updateTime", inventory.path("updateTime"));
        ObjectNode available = s.putObject("availableItems");
        inventory.path("items").fields().forEachRemaining(e -> {
            if ("AVAILABLE_PACKAGE".equals(e.getValue().path("type").asText())) {
                available.set(e.getKey(), e.getValue());
            }
        });
        return s;
    }

    private static ObjectNode state(Map<String, ObjectNode> out, String instance) {
        return out.computeIfAbsent(instance, k -> {
            ObjectNode n = ModelJson.mapper().createObjectNode().put("read", true);
            n.putNull("inventory");
            return n;
        });
    }

    /** {@code projects/P/locations/Z/instances/ID/inventory} → ID. */
    private static String instanceOf(String name) {
        String[] parts = name.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("instances")) {
                return parts[i + 1];
            }
        }
        return name;
    }

    /** One paged OS Config list of {@code path} ({@link GcpRest#list}: a call per page, counted under osconfig). */
    private static void list(GcpSession session, String path, String field, String extra, Consumer<JsonNode> sink) {
        GcpRest.list(session, session.osConfigRoot() + "/v1/" + path + "?pageSize=" + PAGE_SIZE + extra, field,
                "osconfig:" + field + ".list(" + path + ")", sink);
    }

    /** The {@code os} attribute; null when OS Config was not read or has no inventory of the instance. */
    public static JsonNode os(JsonNode asset) {
        JsonNode inv = asset.path("cloudwarden").path("patch").path("inventory");
        if (!inv.isObject()) {
            return null;
        }
        JsonNode os = inv.path("osInfo");
        String shortName = os.path("shortName").asText("");
        String family = shortName.isEmpty() ? null
                : shortName.toLowerCase(Locale.ROOT).contains("windows") ? OsInfo.WINDOWS : OsInfo.LINUX;
        return new OsInfo(family, text(os, "longName"), text(os, "version")).toJson();
    }

    /** The {@code patch} attribute; null when OS Config was not read for the instance's zone. */
    public static JsonNode patch(JsonNode asset) {
        JsonNode state = asset.path("cloudwarden").path("patch");
        if (!state.path("read").asBoolean(false)) {
            return null;
        }
        JsonNode inv = state.path("inventory");
        if (!inv.isObject()) {
            return InstancePatch.unmanaged().toJson();
        }
        Set<String> available = new HashSet<>();
        inv.path("availableItems").fieldNames().forEachRemaining(available::add);
        Instant assessed = inv.path("updateTime").isTextual() ? Instant.parse(inv.path("updateTime").asText()) : null;
        JsonNode report = state.path("vulnerabilityReport");
        if (!report.isObject()) {
            return new InstancePatch(true, null, null, available.size(), assessed, null, null).toJson();
        }
        Set<String> critical = new HashSet<>();
        Set<String> security = new HashSet<>();
        for (JsonNode v : report.path("vulnerabilities")) {
            boolean isCritical = "CRITICAL".equals(v.path("details").path("severity").asText());
            for (JsonNode id : v.path("availableInventoryItemIds")) {
                (isCritical ? critical : security).add(id.asText());
            }
        }
        security.removeAll(critical);
        Set<String> other = new HashSet<>(available);
        other.removeAll(critical);
        other.removeAll(security);
        return new InstancePatch(true, critical.size(), security.size(), other.size(), assessed, null, null).toJson();
    }

    private static String text(JsonNode n, String field) {
        String v = n.path(field).asText("");
        return v.isEmpty() ? null : v;
    }
}
