package io.cloudwarden.engine.spi.utilization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuUtilizationTest {

    @Test
    void meanAndNearestRankP95OfThePeriods() {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            v.add((double) i);
        }
        CpuUtilization u = CpuUtilization.of(v, 7).orElseThrow();
        assertThat(u).isEqualTo(new CpuUtilization(50.5, 95.0, 7, 100));
    }

    @Test
    void oneSampleIsItsOwnP95AndNoSamplesIsNotRead() {
        assertThat(CpuUtilization.of(List.of(3.333), 7)).contains(new CpuUtilization(3.33, 3.33, 7, 1));
        assertThat(CpuUtilization.of(List.of(), 7)).isEmpty();
        assertThat(CpuUtilization.toJson(Optional.empty()).isNull()).isTrue();
    }

    @Test
    void groupSpreadIsTheDistanceBetweenTheHottestAndColdestMember() {
        GroupUtilization g = GroupUtilization.of(List.of(new CpuUtilization(80, 97.5, 7, 2016),
                new CpuUtilization(2, 4.5, 7, 2016), new CpuUtilization(40, 60, 3, 864))).orElseThrow();
        assertThat(g).isEqualTo(new GroupUtilization(40.67, 97.5, 93.0, 3));
        assertThat(GroupUtilization.of(List.of())).isEmpty();
    }

    @Test
    void theWindowSettingIsCheckedAndNamed() {
        assertThat(CpuUtilization.windowDays(config(Map.of()))).isEqualTo(7);
        assertThat(CpuUtilization.windowDays(config(Map.of("utilizationWindowDays", "14")))).isEqualTo(14);
        assertThatThrownBy(() -> CpuUtilization.windowDays(config(Map.of("utilizationWindowDays", "a week"))))
                .hasMessageContaining("utilizationWindowDays: expected a number of days");
    }

    private static ProviderConfig config(Map<String, String> settings) {
        return new ProviderConfig(Cloud.AWS, Optional.empty(), List.of(), List.of(), settings);
    }
}
