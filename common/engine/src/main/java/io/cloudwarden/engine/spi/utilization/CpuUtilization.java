package io.cloudwarden.engine.spi.utilization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Attributes.ComputeInstance.Utilization;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The {@code utilization} of one {@code compute.instance}: CPU percent over a window, from the per-period values a
 * cloud's metrics API returns (5-minute averages). The three providers compute it here, the same way: {@code cpuAvg}
 * is the mean of the periods, {@code cpuP95} their 95th percentile by nearest rank (the smallest value with at least
 * 95% of the periods at or below it), {@code samples} the number of periods that had a value. Values are rounded to
 * two decimals so a snapshot does not drift on float noise.
 */
public record CpuUtilization(double cpuAvg, double cpuP95, int windowDays, int samples) {
    /** The provider setting naming the window in days ({@code cloudwarden.utilization.window-days}); default 7. */
    public static final String WINDOW_SETTING = "utilizationWindowDays";
    public static final int DEFAULT_WINDOW_DAYS = 7;
    /** The aggregation period asked of every cloud, in seconds. */
    public static final int PERIOD_SECONDS = 300;

    /** The window configured for {@code config}: a positive number of days, else a clear error naming the setting. */
    public static int windowDays(ProviderConfig config) {
        Optional<String> v = config.setting(WINDOW_SETTING);
        if (v.isEmpty() || v.get().isBlank()) {
            return DEFAULT_WINDOW_DAYS;
        }
        try {
            int days = Integer.parseInt(v.get().trim());
            if (days >= 1 && days <= 63) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(WINDOW_SETTING + ": expected a number of days from 1 to 63 (the metrics"
                + " retention of 5-minute periods) but was '" + v.get() + "'");
    }

    /** From the period values of one instance; empty when there are none (metrics not read: null, never 0). */
    public static Optional<CpuUtilization> of(Collection<Double> values, int windowDays) {
        double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).sorted()
                .toArray();
        if (v.length == 0) {
            return Optional.empty();
        }
        double mean = Arrays.stream(v).sum() / v.length;
        int rank = (int) Math.ceil(0.95 * v.length);
        return Optional.of(new CpuUtilization(round(mean), round(v[Math.max(rank, 1) - 1]), windowDays, v.length));
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(Utilization.CPU_AVG, cpuAvg);
        o.put(Utilization.CPU_P95, cpuP95);
        o.put(Utilization.WINDOW_DAYS, windowDays);
        o.put(Utilization.SAMPLES, samples);
        return o;
    }

    /** The attribute value: the object, or JSON null when not read. */
    public static JsonNode toJson(Optional<CpuUtilization> u) {
        return u.<JsonNode>map(CpuUtilization::toJson).orElse(NullNode.instance);
    }

    /** Reads a {@link #toJson()} object back; empty for null or a missing node. */
    public static Optional<CpuUtilization> fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new CpuUtilization(o.path(Utilization.CPU_AVG).asDouble(),
                o.path(Utilization.CPU_P95).asDouble(), o.path(Utilization.WINDOW_DAYS).asInt(),
                o.path(Utilization.SAMPLES).asInt()));
    }

    static double round(double d) {
        return Math.round(d * 100.0) / 100.0;
    }
}
