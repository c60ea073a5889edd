package io.cloudwarden.engine.spi.utilization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Attributes.ComputeGroup.Utilization;
import java.util.Collection;
import java.util.Optional;

/**
 * The {@code utilization} of one {@code compute.group}, over the members whose utilization was read: {@code cpuAvg}
 * the mean of their {@code cpuAvg}, {@code cpuP95} the largest member {@code cpuP95} (the hottest member), and
 * {@code spread} the largest minus the smallest member {@code cpuP95}, in percentage points. Empty when no member's
 * metrics were read; a group of one read member has spread 0.
 */
public record GroupUtilization(double cpuAvg, double cpuP95, double spread, int windowDays) {

    public static Optional<GroupUtilization> of(Collection<CpuUtilization> members) {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        double avg = members.stream().mapToDouble(CpuUtilization::cpuAvg).average().orElse(0);
        double max = members.stream().mapToDouble(CpuUtilization::cpuP95).max().orElse(0);
        double min = members.stream().mapToDouble(CpuUtilization::cpuP95).min().orElse(0);
        int window = members.stream().mapToInt(CpuUtilization::windowDays).min().orElse(0);
        return Optional.of(new GroupUtilization(CpuUtilization.round(avg), max, CpuUtilization.round(max - min),
                window));
    }

    public static JsonNode toJson(Optional<GroupUtilization> u) {
        if (u.isEmpty()) {
            return NullNode.instance;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(Utilization.CPU_AVG, u.get().cpuAvg());
        o.put(Utilization.CPU_P95, u.get().cpuP95());
        o.put(Utilization.SPREAD, u.get().spread());
        o.put(Utilization.WINDOW_DAYS, u.get().windowDays());
        return o;
    }
}
