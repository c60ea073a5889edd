package io.cloudwarden.provider.azure.compute.instance;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CPU utilization of virtual machines from the Azure Monitor metrics batch API, in bulk: one
 * {@code POST https://<region>.metrics.monitor.azure.com/subscriptions/<sub>/metrics:getBatch} per 50 resource ids
 * (the API's limit; every id of one call must be in the same subscription and region), never one call per VM:
 * {@code Percentage CPU}, aggregation {@code average}, interval {@code PT5M}, over the window ending now (aligned
 * down to 5 minutes). The per-period averages become {@code utilization} by {@link CpuUtilization#of}, the same
 * definition the AWS and GCP readers use. A VM without data points (deallocated all window, too new) gets no
 * utilization: null, never 0.
 *
 * <p>REST rather than the SDK: {@code com.azure:azure-monitor-query} does not resolve from Maven Central here and
 * {@code azure-monitor-query-metrics} would bring its own client builder and typed models, while every Azure read of
 * this provider goes through the session's pipelines (retry honouring {@code Retry-After}, call counting, the
 * endpoint override that lets one recorded-response server stand in for every regional host) and keeps wire JSON.
 *
 * <p>As a collector ({@link #wrap}) it wraps the VM collector: the shard's VMs are read first, then their CPU per
 * region and batch, and each VM JSON gains {@code cloudwarden.utilization} (the model's object) or, when its batch
 * could not be read, {@code cloudwarden.utilizationError} (the error code): the VM is still reported, its
 * {@code utilization} null with the reason kept in {@code raw}.
 */
public final class InstanceUtilization implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("Microsoft.Insights/metrics/read");
    /** The metric namespace of standalone and Flexible-orchestration scale set VMs. */
    public static final String VM_NAMESPACE = "Microsoft.Compute/virtualMachines";
    /** The metric namespace of the instances of a Uniform-orchestration scale set. */
    public static final String SCALE_SET_VM_NAMESPACE = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";
    public static final String API = "2024-02-01";
    static final int MAX_IDS = 50;
    static final String OPERATION = "Microsoft.Insights/metrics/read";
    static final String METRIC = "Percentage CPU";

    /** One resource to read: its ARM id and its region (the batch endpoint is regional). */
    public record Target(String id, String region) {
    }

    /** What a read gave, by lower-case ARM id: the utilization of each id with data, the error code of each failed one. */
    public record Reading(Map<String, CpuUtilization> values, Map<String, String> errors) {
        public Optional<CpuUtilization> value(String id) {
            return Optional.ofNullable(values.get(key(id)));
        }

        public Optional<String> error(String id) {
            return Optional.ofNullable(errors.get(key(id)));
        }
    }

    private final Clock clock;
    private final ResourceCollector vms;

    public InstanceUtilization(Clock clock) {
        this(clock, null);
    }

    private InstanceUtilization(Clock clock, ResourceCollector vms) {
        this.clock = clock;
        this.vms = vms;
    }

    /** The VM collector {@code vms}, its items carrying their CPU read in bulk per shard. */
    public static ResourceCollector wrap(ResourceCollector vms, Clock clock) {
        return new InstanceUtilization(clock, vms);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        List<NativeItem> items = new ArrayList<>();
        vms.collect(session, shard, items::add);
        attach((AzureSession) session, shard.account(), items);
        items.forEach(sink);
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        return vms.fetch(session, ref).map(item -> {
            attach((AzureSession) session, item.account(), List.of(item));
            return item;
        });
    }

    private void attach(AzureSession session, String subscription, List<NativeItem> items) {
        List<Target> targets = items.stream().map(i -> new Target(i.id(), i.region())).toList();
        Reading reading = read(session, subscription, VM_NAMESPACE, targets);
        for (NativeItem item : items) {
            if (!(item.json() instanceof ObjectNode vm)) {
                continue;
            }
            ObjectNode extra = vm.has("cloudwarden") && vm.get("cloudwarden").isObject()
                    ? (ObjectNode) vm.get("cloudwarden") : vm.putObject("cloudwarden");
            reading.value(item.id()).ifPresent(u -> extra.set("utilization", u.toJson()));
            reading.error(item.id()).ifPresent(code -> extra.put("utilizationError", code));
        }
    }

    /**
     * The CPU of {@code targets} (all of metric namespace {@code namespace}, in {@code subscription}): one call per
     * region and 50 ids. A failed call records its error code for the ids of that call and the others are still read.
     */
    public Reading read(AzureSession session, String subscription, String namespace, List<Target> targets) {
        Map<String, CpuUtilization> values = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        if (targets.isEmpty()) {
            return new Reading(values, errors);
        }
        int windowDays = CpuUtilization.windowDays(session.config());
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        end = end.minusSeconds(end.getEpochSecond() % CpuUtilization.PERIOD_SECONDS);
        Instant start = end.minus(Duration.ofDays(windowDays));
        Map<String, List<String>> byRegion = new LinkedHashMap<>();
        for (Target t : targets) {
            byRegion.computeIfAbsent(t.region().toLowerCase(Locale.ROOT), r -> new ArrayList<>()).add(t.id());
        }
        for (var region : byRegion.entrySet()) {
            List<String> ids = region.getValue();
            for (int from = 0; from < ids.size(); from += MAX_IDS) {
                List<String> batch = ids.subList(from, Math.min(from + MAX_IDS, ids.size()));
                try {
                    JsonNode response = session.metrics().writeUrl(HttpMethod.POST,
                            url(session, subscription, region.getKey(), namespace, start, end), body(batch),
                            OPERATION);
                    parse(response, windowDays, values, errors);
                } catch (ProviderException e) {
                    String code = e.nativeCode() == null || e.nativeCode().isEmpty() ? "unknown" : e.nativeCode();
                    batch.forEach(id -> errors.put(key(id), code));
                }
            }
        }
        return new Reading(values, errors);
    }

    static String url(AzureSession session, String subscription, String region, String namespace, Instant start,
            Instant end) {
        return session.metricsRoot(region) + "/subscriptions/" + subscription + "/metrics:getBatch"
                + "?starttime=" + start + "&endtime=" + end + "&interval=PT5M"
                + "&metricnamespace=" + enc(namespace) + "&metricnames=" + enc(METRIC)
                + "&aggregation=average&api-version=" + API;
    }

    private static JsonNode body(List<String> ids) {
        ObjectNode body = Json.nodes().objectNode();
        var arr = body.putArray("resourceids");
        ids.forEach(arr::add);
        return body;
    }

    /**
     * {@code values[]}: one entry per resource ({@code resourceid}), its {@code value[]} one per metric with an
     * {@code errorCode} ({@code Success}) and {@code timeseries[].data[]} of {@code {timeStamp, average}} (a period
     * without data has no {@code average}).
     */
    static void parse(JsonNode response, int windowDays, Map<String, CpuUtilization> values,
            Map<String, String> errors) {
        JsonNode entries = response.path("values");
        if (!entries.isArray()) {
            throw new ProviderException(Cloud.AZURE, OPERATION, "MalformedResponse", false,
                    OPERATION + ": expected a 'values' array in the metrics:getBatch response");
        }
        for (JsonNode entry : entries) {
            String id = entry.path("resourceid").asText("");
            if (id.isEmpty()) {
                continue;
            }
            List<Double> points = new ArrayList<>();
            for (JsonNode metric : Json.array(entry.path("value"))) {
                String code = metric.path("errorCode").asText("Success");
                if (!code.equalsIgnoreCase("Success")) {
                    errors.put(key(id), code);
                    continue;
                }
                for (JsonNode series : Json.array(metric.path("timeseries"))) {
                    for (JsonNode point : Json.array(series.path("data"))) {
                        if (point.path("average").isNumber()) {
                            points.add(point.path("average").asDouble());
                        }
                    }
                }
            }
            CpuUtilization.of(points, windowDays).ifPresent(u -> values.put(key(id), u));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String key(String armId) {
        return armId.toLowerCase(Locale.ROOT);
    }
}
