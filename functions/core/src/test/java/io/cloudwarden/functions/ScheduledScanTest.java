package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduledScanTest {
    private final InMemoryProvider aws = InMemoryProvider.aws().put(Resources.awsBucket("site", true));
    private final Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), ProviderRegistry.of(List.of(aws)),
            new InMemoryStateStore(), Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
    private final Functions functions = Functions.inProcess(cw);
    private final ScheduledScan schedule = new ScheduledScan(cw, functions.detector());

    @Test
    void aTickScansTheCloudsSavesTheSnapshotAndAuditsTheRun() {
        Optional<ScanOutcome> outcome = schedule.runOnce("timer:2026-11-23T12:00:00Z", List.of(Cloud.AWS),
                ModelJson.mapper().createObjectNode().put("IsPastDue", false));

        assertThat(outcome).isPresent();
        assertThat(outcome.get().snapshot().resources()).hasSize(1);
        assertThat(outcome.get().evaluation().findings()).isNotEmpty();
        assertThat(cw.repository().latestSnapshot()).isPresent();
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("scan");
            assertThat(r.subject()).isEqualTo("scan:schedule:timer:2026-11-23T12:00:00Z");
        });
    }

    @Test
    void theSameTickDeliveredTwiceScansOnceAndADifferentTickScansAgain() {
        assertThat(schedule.runOnce("timer:A", List.of(Cloud.AWS), ModelJson.mapper().createObjectNode())).isPresent();
        assertThat(schedule.runOnce("timer:A", List.of(Cloud.AWS), ModelJson.mapper().createObjectNode())).isEmpty();
        assertThat(schedule.runOnce("timer:B", List.of(Cloud.AWS), ModelJson.mapper().createObjectNode())).isPresent();

        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")).hasSize(2);
    }

    @Test
    void aTickWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> schedule.runOnce(" ", List.of(Cloud.AWS), ModelJson.mapper().createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickKey");
    }
}
