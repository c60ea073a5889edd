package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedule ticks named outside an event envelope (e.g. by Cloud Scheduler headers). */
class ScheduleTickTest {
    private final CoreFixture fx = new CoreFixture();
    private final List<RemediationRequest> sent = new ArrayList<>();

    @Test
    void aTickScansTheCloudOnceAndReportsTheRepeatAsADuplicate() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler h = new EventHandler(cw, sent::add);
            EventOutcome first = h.schedule(Cloud.AWS, "nightly@2026-11-23T02:00:00Z",
                    ModelJson.mapper().createObjectNode().put("job", "nightly"));
            EventOutcome again = h.schedule(Cloud.AWS, "nightly@2026-11-23T02:00:00Z",
                    ModelJson.mapper().createObjectNode().put("job", "nightly"));
            EventOutcome next = h.schedule(Cloud.AWS, "nightly@2026-11-24T02:00:00Z",
                    ModelJson.mapper().createObjectNode().put("job", "nightly"));

            assertThat(first.scheduledScan()).isPresent();
            assertThat(first.findings()).extracting(f -> f.ruleId()).contains("storage-no-public-access");
            assertThat(again.scheduledScan()).isEmpty();
            assertThat(again.duplicates()).containsExactly("schedule:nightly@2026-11-23T02:00:00Z");
            assertThat(next.scheduledScan()).isPresent();
            assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")).hasSize(2);
        }
    }

    @Test
    void aBlankTickIsRejectedNamingIt() {
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler h = new EventHandler(cw, sent::add);
            assertThatThrownBy(() -> h.schedule(Cloud.AWS, " ", ModelJson.mapper().createObjectNode()))
                    .isInstanceOf(EventParseException.class).hasMessageContaining("tick");
        }
    }
}
