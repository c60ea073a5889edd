package io.cloudwarden.provider.gcp.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.compute.group.ManagedGroups;
import io.cloudwarden.provider.gcp.session.GcpRest;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CPU utilization of Compute Engine instances from Cloud Monitoring, in bulk: per project ONE paged
 * {@code projects.timeSeries.list} with the filter {@code metric.type="compute.googleapis.com/instance/cpu/utilization"},
 * aligned {@code ALIGN_MEAN} over 300-second periods for the window ending now (aligned down to 5 minutes), never
 * one call per instance. Series map to instances by {@code resource.labels.instance_id} (a series split across pages
 * is joined). Cloud Monitoring reports the utilization as a fraction (0..1, unit {@code 10^2.%}): it is multiplied
 * by 100 into percent. The per-period means become {@code utilization} by {@link CpuUtilization#of}, the definition
 * the AWS and Azure readers use. An instance without points (stopped all window) gets no utilization: null, never 0.
 *
 * <p>REST through the session's authorized request factory rather than {@code google-cloud-monitoring}: the provider
 * already talks to OS Config that way, and one list call per project does not justify a second gax client family
 * and its protobuf types on the function's class path.
 *
 * <p>As a collector ({@link #wrap}) it wraps the instance collector; each instance JSON gains
 * {@code cloudwarden.utilization} or {@code cloudwarden.utilizationError} (the error code: the instance is still
 * reported, its {@code utilization} null), and {@code cloudwarden.group} (the managed instance group it belongs to,
 * from {@link ManagedGroups}) or {@code cloudwarden.groupError} when the groups could not be read.
 */
public final class InstanceUtilization implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("monitoring.timeSeries.list");
    static final String METRIC = "compute.googleapis.com/instance/cpu/utilization";

    private final Clock clock;
    private final ResourceCollector instances;

    public InstanceUtilization(Clock clock) {
        this(clock, null);
    }

    private InstanceUtilization(Clock clock, ResourceCollector instances) {
        this.clock = clock;
        this.instances = instances;
    }

    public static ResourceCollector wrap(ResourceCollector instances, Clock clock) {
        return new InstanceUtilization(clock, instances);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        List<NativeItem> items = new ArrayList<>();
        instances.collect(session, shard, items::add);
        if (!items.isEmpty()) {
            attach((GcpSession) session, shard.account(), items, Optional.empty());
        }
        items.forEach(sink);
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        return instances.fetch(session, ref).map(item -> {
            String id = AssetJson.data(item.json()).path("id").asText("");
            attach((GcpSession) session, item.account(), List.of(item), id.isEmpty() ? Optional.empty()
                    : Optional.of(id));
            return item;
        });
    }

    /**
     * {@code only}: the numeric id of the one instance an event re-read names; its CPU is read with a filter on it and
     * its group comes from the {@code created-by} metadata a managed instance group sets on its instances (no
     * project-wide group listing per event).
     */
    private void attach(GcpSession session, String project, List<NativeItem> items, Optional<String> only) {
        Map<String, CpuUtilization> cpu = Map.of();
        String cpuError = null;
        try {
            cpu = read(session, project, only);
        } catch (ProviderException e) {
            cpuError = code(e);
        }
        Map<String, String> groupOf = Map.of();
        String groupError = null;
        if (only.isPresent()) {
            Map<String, String> byMetadata = new HashMap<>();
            for (NativeItem item : items) {
                ManagedGroups.createdBy(project, AssetJson.data(item.json()))
                        .ifPresent(g -> byMetadata.put(item.id(), g));
            }
            groupOf = byMetadata;
        } else {
            try {
                groupOf = ManagedGroups.read(session, project).groupOfInstance();
            } catch (ProviderException e) {
                groupError = code(e);
            }
        }
        for (NativeItem item : items) {
            if (!(item.json() instanceof ObjectNode asset)) {
                continue;
            }
            ObjectNode extra = asset.has("cloudwarden") && asset.get("cloudwarden").isObject()
                    ? (ObjectNode) asset.get("cloudwarden") : asset.putObject("cloudwarden");
            CpuUtilization u = cpu.get(AssetJson.data(asset).path("id").asText(""));
            if (u != null) {
                extra.set("utilization", u.toJson());
            } else if (cpuError != null) {
                extra.put("utilizationError", cpuError);
            }
            String group = groupOf.get(item.id());
            if (group != null) {
                extra.put("group", group);
            } else if (groupError != null) {
                extra.put("groupError", groupError);
            }
        }
    }

    private static String code(ProviderException e) {
        return e.nativeCode() == null || e.nativeCode().isEmpty() ? "unknown" : e.nativeCode();
    }

    /**
     * Instance id (numeric, {@code resource.labels.instance_id}) → utilization, for every instance of
     * {@code project} with points ({@code only}: one instance id). A failed read throws {@link ProviderException}.
     */
    public Map<String, CpuUtilization> read(GcpSession session, String project, Optional<String> only) {
        int windowDays = CpuUtilization.windowDays(session.config());
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        end = end.minusSeconds(end.getEpochSecond() % CpuUtilization.PERIOD_SECONDS);
        Instant start = end.minus(Duration.ofDays(windowDays));
        String filter = "metric.type=\"" + METRIC + "\"" + only.map(id -> " AND resource.labels.instance_id=\""
                + id + "\"").orElse("");
        String url = session.monitoringRoot() + "/v3/projects/" + project + "/timeSeries?filter="
                + GcpRest.encode(filter) + "&interval.startTime=" + start + "&interval.endTime=" + end
                + "&aggregation.alignmentPeriod=" + CpuUtilization.PERIOD_SECONDS + "s"
                + "&aggregation.perSeriesAligner=ALIGN_MEAN&view=FULL";
        Map<String, List<Double>> values = new HashMap<>();
        GcpRest.list(session, url, "timeSeries", "monitoring:timeSeries.list(projects/" + project + ")", series -> {
            String id = series.path("resource").path("labels").path("instance_id").asText("");
            if (id.isEmpty()) {
                return;
            }
            List<Double> v = values.computeIfAbsent(id, k -> new ArrayList<>());
            for (JsonNode point : series.path("points")) {
                JsonNode value = point.path("value").path("doubleValue");
                if (value.isNumber() || value.isTextual()) {
                    v.add(value.asDouble() * 100.0);
                }
            }
        });
        Map<String, CpuUtilization> out = new HashMap<>();
        values.forEach((id, v) -> CpuUtilization.of(v, windowDays).ifPresent(u -> out.put(id, u)));
        return out;
    }

    /** The {@code utilization} attribute of an instance asset: what was read, else null. */
    public static JsonNode utilization(JsonNode asset) {
        return CpuUtilization.toJson(CpuUtilization.fromJson(asset.path("cloudwarden").get("utilization")));
    }

    /** The {@code group} attribute of an instance asset: its managed instance group's id, else null. */
    public static JsonNode group(JsonNode asset) {
        JsonNode g = asset.path("cloudwarden").path("group");
        return g.isTextual() ? g : ModelJson.mapper().nullNode();
    }
}
