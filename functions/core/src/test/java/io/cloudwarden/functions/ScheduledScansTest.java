package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
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

class ScheduledScansTest {
    private static final Actor SCHEDULE = new Actor("service",
            "arn:aws:scheduler:us-east-1:111122223333:schedule/default/nightly", "nightly", "aws.scheduler");

    private final InMemoryProvider aws = InMemoryProvider.aws()
            .put(Resources.awsBucket("logs", false))
            .put(Resources.awsBucket("site", true));
    private final FlakyStore store = new FlakyStore();
    private final Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), ProviderRegistry.of(List.of(aws)),
            store, Clock.fixed(Instant.parse("2026-11-23T10:00:05Z"), ZoneOffset.UTC));
    private final ScheduledScans schedules = new ScheduledScans(cw, Functions.inProcess(cw).detector());

    @Test
    void theFirstTickOfASlotScansAndSavesTheSnapshotAndFindings() {
        ScheduledScans.Run run = schedules.run(new ScheduledScans.Tick("nightly",
                Instant.parse("2026-11-23T10:00:00Z"), SCHEDULE), List.of(Cloud.AWS));

        assertThat(run.duplicate()).isFalse();
        assertThat(run.scan()).isPresent();
        assertThat(run.scan().get().snapshot().resources()).hasSize(2);
        assertThat(cw.repository().latestSnapshot()).isPresent();
        assertThat(cw.repository().latestFindings().orElseThrow().findings())
                .anySatisfy(f -> assertThat(f.resource().id()).isEqualTo("arn:aws:s3:::site"));
        assertThat(cw.audit().read()).extracting(AuditRecord::action, AuditRecord::subject, AuditRecord::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("scan", "scan:schedule:nightly@2026-11-23T10:00:00Z",
                        "complete"));
    }

    @Test
    void aDuplicatedTickOfTheSameSlotDoesNotRescanButANewSlotDoes() {
        Instant slot = Instant.parse("2026-11-23T10:00:00Z");
        schedules.run(new ScheduledScans.Tick("nightly", slot, SCHEDULE), List.of(Cloud.AWS));
        aws.put(Resources.awsBucket("added-later", true));

        ScheduledScans.Run again = schedules.run(new ScheduledScans.Tick("nightly", slot, SCHEDULE),
                List.of(Cloud.AWS));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.scan()).isEmpty();
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources()).hasSize(2);
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")).hasSize(1);
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("schedule"))
                .extracting(AuditRecord::outcome).containsExactly("duplicate");

        ScheduledScans.Run next = schedules.run(new ScheduledScans.Tick("nightly", slot.plusSeconds(86400),
                SCHEDULE), List.of(Cloud.AWS));
        assertThat(next.duplicate()).isFalse();
        assertThat(next.scan().orElseThrow().snapshot().resources()).hasSize(3);
    }

    @Test
    void anotherJobAtTheSameTimeIsItsOwnSlot() {
        Instant slot = Instant.parse("2026-11-23T10:00:00Z");
        schedules.run(new ScheduledScans.Tick("nightly", slot, SCHEDULE), List.of(Cloud.AWS));

        assertThat(schedules.run(new ScheduledScans.Tick("hourly", slot, SCHEDULE), List.of(Cloud.AWS))
                .duplicate()).isFalse();
    }

    @Test
    void aScanThatFailsReleasesItsSlotSoTheRetriedTickScansAgain() {
        ScheduledScans.Tick tick = new ScheduledScans.Tick("nightly", Instant.parse("2026-11-23T10:00:00Z"),
                SCHEDULE);
        store.failSnapshotWrites = true;
        assertThatThrownBy(() -> schedules.run(tick, List.of(Cloud.AWS))).isInstanceOf(StateStoreException.class);
        store.failSnapshotWrites = false;

        ScheduledScans.Run retried = schedules.run(tick, List.of(Cloud.AWS));
        assertThat(retried.duplicate()).isFalse();
        assertThat(retried.scan().orElseThrow().snapshot().resources()).hasSize(2);
        assertThat(schedules.run(tick, List.of(Cloud.AWS)).duplicate()).isTrue();
    }

    /** An in-memory store whose snapshot writes can be made to fail, like an S3 outage in the middle of a run. */
    private static final class FlakyStore implements StateStore {
        private final InMemoryStateStore delegate = new InMemoryStateStore();
        volatile boolean failSnapshotWrites;

        @Override
        public Optional<StoredObject> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] data, Precondition precondition) {
            if (failSnapshotWrites && key.startsWith("snapshots/")) {
                throw new StateStoreException("s3:PutObject " + key + ": ServiceUnavailable", null);
            }
            return delegate.put(key, data, precondition);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return "flaky-memory:";
        }
    }

    @Test
    void aTickNeedsAJobAndATime() {
        assertThatThrownBy(() -> new ScheduledScans.Tick(" ", Instant.EPOCH, SCHEDULE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("job:");
        assertThatThrownBy(() -> new ScheduledScans.Tick("nightly", (Instant) null, SCHEDULE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("slot:");
        assertThatThrownBy(() -> new ScheduledScans.Tick("nightly", " ", SCHEDULE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("slot:");
    }
}
