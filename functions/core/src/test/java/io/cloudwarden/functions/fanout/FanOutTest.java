package io.cloudwarden.functions.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanRun;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationSink;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.functions.queue.WorkItem;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.MutableClock;
import io.cloudwarden.testkit.ShardedEstate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A scheduled scan fanned out over a work queue (here a list), collected shard by shard and merged once. */
class FanOutTest {
    private static final Actor SCHEDULE = new Actor("service", "nightly", "nightly", "test");

    /** The work queue: shards and remediation requests in the order they were sent. */
    static final class ListQueue implements RemediationSink, ShardQueue {
        final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void submit(RemediationRequest request) {
            messages.add(CloudEventCodec.encode(request));
        }

        @Override
        public void enqueue(ScanRequest request) {
            messages.add(CloudEventCodec.encode(request));
        }
    }

    private final ShardedEstate estate = ShardedEstate.of(Cloud.AWS, 2, 25);
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T02:00:00Z"));
    private final ListQueue queue = new ListQueue();
    private final Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of(FanOut.ENABLED, "true")),
            ProviderRegistry.of(List.of(estate)), store, clock);
    private final Functions functions = Functions.withSink(cw, queue);

    private ScheduledScans.Run tick(String slot) {
        return functions.schedules().run(new ScheduledScans.Tick("nightly", slot, SCHEDULE), List.of(Cloud.AWS));
    }

    private List<WorkItem> drain() {
        List<WorkItem> items = new ArrayList<>();
        synchronized (queue.messages) {
            for (byte[] m : queue.messages) {
                items.add(new WorkItem("m-" + items.size(), m, 1));
            }
            queue.messages.clear();
        }
        return items;
    }

    @Test
    void fiftyShardsWithOneDeliveredTwiceAndOneFailingMergeIntoOneSnapshotWithOneScanError() {
        estate.memory().failShard(ShardedEstate.account(1), "region-7", ResourceTypes.STORAGE_BUCKET,
                new ProviderException(Cloud.AWS, "s3:ListBuckets", "AccessDenied", false, "denied"));

        ScheduledScans.Run run = tick("2026-11-23T02:00:00Z");
        assertThat(run.scan()).as("the scheduled function only plans").isEmpty();
        assertThat(run.planned().orElseThrow().shards()).hasSize(50);
        assertThat(cw.repository().latestSnapshot()).isEmpty();

        List<WorkItem> items = drain();
        assertThat(items).hasSize(50);
        Collections.shuffle(items, new Random(18));
        items.add(17, items.get(3)); // shard delivered twice, the copy before the run is complete
        BatchResult result = functions.batch().run(items);

        assertThat(result.failures()).isEmpty();
        assertThat(result.succeeded()).isEqualTo(51);
        assertThat(store.list("snapshots/")).as("one history snapshot + latest").hasSize(2);
        Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
        assertThat(snapshot.takenAt()).isEqualTo(run.planned().get().createdAt());
        assertThat(snapshot.resources()).hasSize(49)
                .noneMatch(r -> r.account().equals(ShardedEstate.account(1)) && r.region().equals("region-7"));
        assertThat(snapshot.errors()).singleElement().satisfies(e -> {
            assertThat(e.account()).isEqualTo(ShardedEstate.account(1));
            assertThat(e.region()).isEqualTo("region-7");
            assertThat(e.code()).isEqualTo("AccessDenied");
        });
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")).singleElement()
                .extracting(AuditRecord::subject).isEqualTo("scan:schedule:nightly@2026-11-23T02:00:00Z");
        assertThat(cw.repository().latestFindings().orElseThrow().findings()).isNotEmpty();
        assertThat(functions.fanOut().status()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("merged");
            assertThat(s.collected()).isEqualTo(50);
        });
        // the public buckets were planned for remediation and their requests went onto the same queue
        assertThat(drain()).isNotEmpty().allSatisfy(m -> assertThat(new String(m.body()))
                .contains(RemediationRequest.TYPE));
    }

    @Test
    void recordsOfFinishedRunsBeyondTheSnapshotRetentionArePrunedAndAnUnfinishedRunIsKept() {
        Cloudwarden kept2 = new Cloudwarden(CoreConfig.of(Map.of(FanOut.ENABLED, "true",
                "cloudwarden.state.keep-snapshots", "2")), ProviderRegistry.of(List.of(estate)), store, clock);
        Functions f = Functions.withSink(kept2, queue);
        List<String> runIds = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            String slot = Instant.parse("2026-11-23T02:00:00Z").plus(Duration.ofDays(day)).toString();
            ScheduledScans.Run run = f.schedules().run(new ScheduledScans.Tick("nightly", slot, SCHEDULE),
                    List.of(Cloud.AWS));
            runIds.add(run.planned().orElseThrow().id());
            f.batch().run(drain());
            drain(); // remediation requests
            clock.advance(Duration.ofDays(1));
        }
        String open = f.schedules().run(new ScheduledScans.Tick("nightly", "2026-11-26T02:00:00Z", SCHEDULE),
                List.of(Cloud.AWS)).planned().orElseThrow().id();
        f.batch().run(drain().subList(0, 10)); // still collecting: 40 shards to come

        assertThat(store.list("runs/")).containsExactlyInAnyOrder("runs/" + runIds.get(1) + ".json",
                "runs/" + runIds.get(2) + ".json", "runs/" + open + ".json");
        assertThat(store.list("merges/")).containsExactlyInAnyOrder("merges/" + runIds.get(1) + ".json",
                "merges/" + runIds.get(2) + ".json");
        assertThat(store.list("shard-results/" + runIds.get(0) + "/")).isEmpty();
        assertThat(store.list("shard-results/" + runIds.get(2) + "/")).hasSize(50);
        assertThat(store.list("shard-results/" + open + "/")).hasSize(10);
        assertThat(f.fanOut().status()).extracting(s -> s.state()).containsExactly("merged", "merged", "collecting");
        assertThat(kept2.repository().historyKeys()).hasSize(2);
    }

    @Test
    void aShardRedeliveredAfterTheMergeIsADuplicateAndWritesNothing() {
        tick("2026-11-23T02:00:00Z");
        List<WorkItem> items = drain();
        functions.batch().run(items);
        List<String> before = store.list("");

        ScanRequest again = CloudEventCodec.decodeScanRequest(items.get(0).body());
        FanOut.Collected c = functions.fanOut().collect(again);

        assertThat(c.duplicate()).isTrue();
        assertThat(c.merged()).isEmpty();
        assertThat(store.list("")).isEqualTo(before);
    }

    @Test
    void aRunWhoseShardsNeverAllArriveIsOverdueInStatusThenMergedByTheNextTickWithTheMissingShardsAsErrors() {
        ScheduledScans.Run first = tick("2026-11-23T02:00:00Z");
        List<WorkItem> items = drain();
        functions.batch().run(items.subList(0, 48)); // two messages lost
        assertThat(cw.repository().latestSnapshot()).isEmpty();
        assertThat(functions.fanOut().status()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(RunStatus.COLLECTING);
            assertThat(s.collected()).isEqualTo(48);
        });

        clock.advance(Duration.ofMinutes(31));
        assertThat(functions.fanOut().status()).singleElement().extracting(RunStatus::state)
                .isEqualTo(RunStatus.OVERDUE);

        ScheduledScans.Run next = tick("2026-11-23T03:00:00Z");
        assertThat(next.merged()).singleElement().satisfies(m -> {
            assertThat(m.snapshot().takenAt()).isEqualTo(first.planned().orElseThrow().createdAt());
            assertThat(m.snapshot().resources()).hasSize(48);
            assertThat(m.snapshot().errors()).hasSize(2).allSatisfy(e -> assertThat(e.code())
                    .isEqualTo(FanOut.MISSING));
        });
        assertThat(functions.fanOut().status()).extracting(RunStatus::state)
                .containsExactly("merged", RunStatus.COLLECTING);

        // the two lost messages turn up after all: late, they change nothing
        List<String> before = store.list("shard-results/");
        BatchResult late = functions.batch().run(items.subList(48, 50));
        assertThat(late.failures()).isEmpty();
        assertThat(store.list("shard-results/")).isEqualTo(before);
        assertThat(cw.repository().latestSnapshot().orElseThrow().errors()).hasSize(2);
    }

    @Test
    void aRunMergedLateDoesNotReplaceANewerSnapshot() {
        tick("2026-11-23T02:00:00Z");
        List<WorkItem> late = drain();
        clock.advance(Duration.ofMinutes(5));
        tick("2026-11-23T02:05:00Z");
        functions.batch().run(drain());
        Instant newer = cw.repository().latestSnapshot().orElseThrow().takenAt();

        functions.batch().run(late);

        assertThat(cw.repository().latestSnapshot().orElseThrow().takenAt()).isEqualTo(newer);
        assertThat(functions.fanOut().status()).extracting(RunStatus::state)
                .containsExactly("superseded", "merged");
    }

    @Test
    void aRetriedTickPlansTheSameRunAndReQueuesOnlyTheShardsWithoutAResult() {
        ScanRun run = functions.fanOut().plan(List.of(Cloud.AWS), java.util.Set.of(), "schedule:x@1", SCHEDULE);
        List<WorkItem> items = drain();
        functions.batch().run(items.subList(0, 10));

        ScanRun again = functions.fanOut().plan(List.of(Cloud.AWS), java.util.Set.of(), "schedule:x@1", SCHEDULE);

        assertThat(again).isEqualTo(run);
        assertThat(drain()).hasSize(40);
    }

    @Test
    void aShardOfAnUnknownRunFailsTheMessageNamingTheRun() {
        ScanRequest stray = new ScanRequest("r-000000000000000000000000", new Shard(Cloud.AWS,
                ShardedEstate.account(0), "region-0", ResourceTypes.STORAGE_BUCKET), Instant.EPOCH);
        BatchResult r = functions.batch().run(List.of(new WorkItem("m-1", CloudEventCodec.encode(stray), 1)));

        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("data.run", "r-000000000000000000000000"));
        assertThatThrownBy(() -> CloudEventCodec.decodeScanRequest(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.cloudwarden.scan.requested.v1\",\"data\":{\"run\":\"r\",\"shard\":{\"cloud\":\"aws\"}}}"
                        .getBytes())).hasMessageContaining("data.shard.account");
    }

    @Test
    void withoutFanOutTheTickScansOnThePoolAsBefore() {
        Cloudwarden local = new Cloudwarden(CoreConfig.of(Map.of()), ProviderRegistry.of(List.of(estate)),
                new InMemoryStateStore(), clock);
        ScheduledScans.Run run = Functions.withSink(local, queue).schedules().run(
                new ScheduledScans.Tick("nightly", "2026-11-23T02:00:00Z", SCHEDULE), List.of(Cloud.AWS));

        assertThat(run.planned()).isEmpty();
        assertThat(run.scan().orElseThrow().snapshot().resources()).hasSize(50);
        assertThat(queue.messages).noneMatch(m -> new String(m).contains(ScanRequest.TYPE));
    }
}
