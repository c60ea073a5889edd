package io.cloudwarden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.state.StateRepository.ResourceUpdate;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Severity;
import io.cloudwarden.model.Snapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events record per-resource updates laid over the last full snapshot; compaction folds them; history is pruned. */
class SnapshotUpdatesTest {
    private static final Instant SCAN = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private static Resource bucket(int i, boolean versioning, Instant observedAt) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("publicAccess", false).put("versioning", versioning).put("logging", true).putNull("minTlsVersion");
        a.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
        String name = String.format("bucket-%05d", i);
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("storage.bucket").id("arn:aws:s3:::" + name).name(name).attributes(a)
                .tags(java.util.Map.of("team", "platform", "env", "prod")).observedAt(observedAt).build();
    }

    private static Snapshot estate(int n, Instant takenAt) {
        return Snapshot.of(takenAt, IntStream.range(0, n).mapToObj(i -> bucket(i, true, takenAt)).toList(), List.of());
    }

    private static Finding finding(Resource r, Instant at) {
        return new Finding("f-" + r.name(), "aws-s3-versioning", "Bucket versioning", Severity.LOW,
                Finding.Status.FAIL, r.ref(), "versioning is off", List.of(), Optional.empty(), at);
    }

    private static Resource find(Snapshot s, String name) {
        return s.resources().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anEventsChangeIsOneSmallUpdateThatReadersSeeOverTheLastFullSnapshot() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(estate(2_000, SCAN));
        repo.saveFindings(List.of(), SCAN);
        String baseVersion = repo.store().version(StateRepository.LATEST_SNAPSHOT).orElseThrow();
        List<String> before = repo.store().list("");

        Instant at = SCAN.plusSeconds(60);
        Resource changed = bucket(7, false, at);
        String key = repo.recordUpdate(ResourceUpdate.present(changed, List.of(finding(changed, at)), "evt-1"));

        List<String> written = new ArrayList<>(repo.store().list(""));
        written.removeAll(before);
        assertThat(written).containsExactly(key);
        assertThat(key).startsWith("snapshots/updates/2026-12-01T10-01-00.000000000Z-");
        StoredObject update = repo.store().get(key).orElseThrow();
        assertThat(update.data().length).as("bytes written for one event's resource").isLessThan(64 * 1024);
        assertThat(repo.store().version(StateRepository.LATEST_SNAPSHOT)).contains(baseVersion);

        Snapshot latest = repo.latestSnapshot().orElseThrow();
        assertThat(latest.resources()).hasSize(2_000);
        assertThat(find(latest, "bucket-00007")).isEqualTo(changed);
        assertThat(find(latest, "bucket-00008").attributes().path("versioning").asBoolean()).isTrue();
        assertThat(latest.takenAt()).isEqualTo(at);
        assertThat(repo.latestResource(changed.ref())).contains(changed);
        assertThat(repo.latestFindings().orElseThrow().findings()).extracting(Finding::id)
                .containsExactly("f-bucket-00007");
    }

    @Test
    void aResourcesLatestStateIsItsOwnNewestUpdateNotAnotherResourcesNewerOne() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(estate(5, SCAN));
        Resource mine = bucket(1, false, SCAN.plusSeconds(1));
        Resource newerOfAnother = bucket(2, false, SCAN.plusSeconds(2));
        repo.recordUpdate(ResourceUpdate.present(mine, List.of(), "evt-1"));
        repo.recordUpdate(ResourceUpdate.present(newerOfAnother, List.of(), "evt-2"));

        assertThat(repo.latestResource(mine.ref())).contains(mine);
        assertThat(repo.latestResource(newerOfAnother.ref())).contains(newerOfAnother);
        assertThat(repo.latestResource(bucket(3, true, SCAN).ref())).contains(bucket(3, true, SCAN));
    }

    @Test
    void aDeletionRemovesTheResourceAndItsFindings() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        Snapshot scan = estate(3, SCAN);
        repo.saveSnapshot(scan);
        repo.saveFindings(List.of(finding(scan.resources().get(1), SCAN)), SCAN);

        repo.recordUpdate(ResourceUpdate.deleted(scan.resources().get(1).ref(), SCAN.plusSeconds(5), "evt-del"));

        assertThat(repo.latestSnapshot().orElseThrow().resources()).extracting(Resource::name)
                .containsExactly("bucket-00000", "bucket-00002");
        assertThat(repo.latestResource(scan.resources().get(1).ref())).isEmpty();
        assertThat(repo.latestFindings().orElseThrow().findings()).isEmpty();
    }

    @Test
    void anUpdateObservedBeforeTheScanDoesNotOverrideTheScansNewerRead() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(estate(3, SCAN));
        Resource stale = bucket(1, false, SCAN.minusSeconds(30));

        repo.recordUpdate(ResourceUpdate.present(stale, List.of(), "slow-evt"));

        assertThat(find(repo.latestSnapshot().orElseThrow(), "bucket-00001").observedAt()).isEqualTo(SCAN);
        assertThat(repo.latestResource(stale.ref()).orElseThrow().observedAt()).isEqualTo(SCAN);
    }

    @Test
    void compactionWritesExactlyTheOverlaidViewAndFoldsTheUpdates() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        Snapshot scan = estate(50, SCAN);
        repo.saveSnapshot(scan);
        repo.saveFindings(List.of(finding(scan.resources().get(3), SCAN)), SCAN);
        for (int i = 0; i < 10; i++) {
            Resource r = bucket(i * 3, i % 2 == 0, SCAN.plusSeconds(i + 1));
            repo.recordUpdate(ResourceUpdate.present(r, List.of(finding(r, r.observedAt())), "evt-" + i));
        }
        repo.recordUpdate(ResourceUpdate.deleted(scan.resources().get(49).ref(), SCAN.plusSeconds(20), "evt-del"));
        Snapshot overlaid = repo.latestSnapshot().orElseThrow();
        StateRepository.FindingsDocument overlaidFindings = repo.latestFindings().orElseThrow();
        int historyBefore = repo.historyKeys().size();

        StateRepository.Compaction c = repo.compact();

        assertThat(c.folded()).isEqualTo(11);
        assertThat(repo.pendingUpdates()).isEmpty();
        assertThat(repo.latestSnapshot()).contains(overlaid);
        Snapshot stored = new StateRepository(new FileSystemStateStore(dir)).latestSnapshot().orElseThrow();
        assertThat(stored).isEqualTo(overlaid);
        assertThat(repo.latestFindings().orElseThrow().findings())
                .containsExactlyInAnyOrderElementsOf(overlaidFindings.findings());
        assertThat(repo.historyKeys()).as("compactions are not full scans").hasSize(historyBefore);
        assertThat(repo.compact().folded()).isZero();
    }

    @Test
    void compactingOnlyStaleUpdatesLeavesTheFindingsAsTheyWere() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(estate(3, SCAN)); // a base without a findings document yet
        // a late writer: observed before the scan read the resource, so it does not apply
        repo.recordUpdate(ResourceUpdate.present(bucket(1, false, SCAN.minusSeconds(30)),
                List.of(finding(bucket(1, false, SCAN), SCAN)), "slow-evt"));

        assertThat(repo.compact().folded()).isEqualTo(1);

        assertThat(new StateRepository(new FileSystemStateStore(dir)).latestFindings()).isEmpty();
        assertThat(repo.store().get(StateRepository.LATEST_FINDINGS)).as("no 'null' document written").isEmpty();
    }

    @Test
    void compactionIsDueOnceAsManyUpdatesArePendingAsTheBaseHasResourcesWithinItsBounds() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        assertThat(repo.compactAfter()).isEqualTo(StateRepository.COMPACT_AUTO);
        repo.saveSnapshot(estate(120, SCAN));
        assertThat(repo.compactionThreshold()).isEqualTo(120);
        for (int i = 0; i < 119; i++) {
            // the same resource changed again and again: every change is pending until the threshold
            repo.recordUpdate(ResourceUpdate.present(bucket(1, i % 2 == 0, SCAN.plusMillis(i + 1)), List.of(),
                    "evt-" + i));
            assertThat(repo.compactIfDue()).as("not due at %d pending", i + 1).isFalse();
        }
        String base = repo.store().version(StateRepository.LATEST_SNAPSHOT).orElseThrow();
        Resource last = bucket(2, false, SCAN.plusSeconds(5));
        repo.recordUpdate(ResourceUpdate.present(last, List.of(), "evt-last"));

        assertThat(repo.compactIfDue()).isTrue();
        assertThat(repo.pendingUpdates()).isEmpty();
        assertThat(repo.store().version(StateRepository.LATEST_SNAPSHOT)).isNotEqualTo(Optional.of(base));
        assertThat(find(new StateRepository(new FileSystemStateStore(dir)).latestSnapshot().orElseThrow(),
                "bucket-00002")).isEqualTo(last);
    }

    @Test
    void theAutomaticThresholdIsBoundedAndAFixedOneReplacesIt() {
        StateRepository small = new StateRepository(new FileSystemStateStore(dir.resolve("small")));
        assertThat(small.compactionThreshold()).as("no base yet").isEqualTo(StateRepository.AUTO_COMPACT_MIN);
        small.saveSnapshot(estate(3, SCAN));
        assertThat(small.compactionThreshold()).isEqualTo(StateRepository.AUTO_COMPACT_MIN);

        StateRepository large = new StateRepository(new FileSystemStateStore(dir.resolve("large")));
        large.saveSnapshot(estate(2_500, SCAN));
        assertThat(large.compactionThreshold()).isEqualTo(StateRepository.AUTO_COMPACT_MAX);

        StateRepository fixed = new StateRepository(new FileSystemStateStore(dir.resolve("large")), 10, 7);
        assertThat(fixed.compactionThreshold()).isEqualTo(7);
    }

    @Test
    void aLongRunningProcessReadsNoDocumentPerEventYetSeesEveryOtherWriter() {
        ReadCountingStore store = new ReadCountingStore(new FileSystemStateStore(dir));
        StateRepository serving = new StateRepository(store);
        serving.saveSnapshot(estate(200, SCAN));
        Resource first = bucket(4, false, SCAN.plusSeconds(1));
        serving.recordUpdate(ResourceUpdate.present(first, List.of(finding(first, first.observedAt())), "evt-1"));
        assertThat(serving.latestResource(first.ref())).contains(first);
        store.gets.clear();

        Resource second = bucket(4, true, SCAN.plusSeconds(2));
        serving.recordUpdate(ResourceUpdate.present(second, List.of(), "evt-2"));
        assertThat(serving.latestResource(second.ref())).contains(second);
        assertThat(serving.latestSnapshot().map(s -> find(s, "bucket-00004"))).contains(second);
        assertThat(store.gets).as("documents read by the second event and a full overlay read").isEmpty();

        // another process writes an update and then compacts: the cached copies give way to what it wrote
        StateRepository other = new StateRepository(new FileSystemStateStore(dir));
        Resource elsewhere = bucket(9, false, SCAN.plusSeconds(3));
        other.recordUpdate(ResourceUpdate.present(elsewhere, List.of(finding(elsewhere, elsewhere.observedAt())),
                "evt-other"));
        assertThat(serving.latestResource(elsewhere.ref())).contains(elsewhere);
        assertThat(serving.latestFindings().orElseThrow().findings()).extracting(Finding::id)
                .containsExactly("f-bucket-00009");
        other.compact();
        Resource third = bucket(4, false, SCAN.plusSeconds(4));
        other.recordUpdate(ResourceUpdate.present(third, List.of(), "evt-3"));
        store.gets.clear();
        assertThat(serving.latestResource(third.ref())).contains(third);
        assertThat(serving.latestSnapshot().map(s -> find(s, "bucket-00009"))).contains(elsewhere);
        assertThat(store.gets).as("the new base and the other process's update are read once")
                .contains(StateRepository.LATEST_SNAPSHOT).anyMatch(k -> k.startsWith(StateRepository.UPDATES));
    }

    /** Passes every call through and records the keys read with {@code get}. */
    private static final class ReadCountingStore implements io.cloudwarden.engine.spi.StateStore {
        private final io.cloudwarden.engine.spi.StateStore delegate;
        final List<String> gets = java.util.Collections.synchronizedList(new ArrayList<>());

        ReadCountingStore(io.cloudwarden.engine.spi.StateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoredObject> get(String key) {
            gets.add(key);
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] data, io.cloudwarden.engine.spi.Precondition precondition) {
            return delegate.put(key, data, precondition);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public Optional<String> version(String key) {
            return delegate.version(key);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }

    @Test
    void retentionKeepsExactlyTheNewestFullScans() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir), 3, 100);
        for (int i = 0; i < 6; i++) {
            repo.saveSnapshot(estate(2, SCAN.plusSeconds(3600L * i)));
        }

        assertThat(repo.historyKeys()).containsExactly(
                StateRepository.snapshotKey(SCAN.plusSeconds(3 * 3600)),
                StateRepository.snapshotKey(SCAN.plusSeconds(4 * 3600)),
                StateRepository.snapshotKey(SCAN.plusSeconds(5 * 3600)));
        assertThat(repo.latestSnapshot().orElseThrow().takenAt()).isEqualTo(SCAN.plusSeconds(5 * 3600));
        assertThat(repo.previousSnapshot().orElseThrow().takenAt()).isEqualTo(SCAN.plusSeconds(4 * 3600));
    }

    @Test
    void aScanFoldsOlderUpdatesAndKeepsThoseObservedAfterItStarted() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(estate(3, SCAN));
        Instant nextScan = SCAN.plusSeconds(600);
        repo.recordUpdate(ResourceUpdate.present(bucket(0, false, nextScan.minusSeconds(60)), List.of(), "old"));
        Resource duringScan = bucket(1, false, nextScan.plusSeconds(30));
        repo.recordUpdate(ResourceUpdate.present(duringScan, List.of(), "during"));

        StateRepository.SavedScan saved = repo.saveScan(previous -> estate(3, nextScan));

        assertThat(find(saved.previous().orElseThrow(), "bucket-00000").attributes().path("versioning").asBoolean())
                .isFalse();
        assertThat(repo.pendingUpdates()).hasSize(1);
        Snapshot latest = repo.latestSnapshot().orElseThrow();
        assertThat(find(latest, "bucket-00000").observedAt()).isEqualTo(nextScan);
        assertThat(find(latest, "bucket-00001")).isEqualTo(duringScan);
    }

    @Test
    void concurrentEventWritersAndCompactionsLoseNoUpdate() throws Exception {
        Path root = dir.resolve("state");
        new StateRepository(new FileSystemStateStore(root)).saveSnapshot(estate(120, SCAN));
        int writers = 6;
        int perWriter = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    // one repository per thread, like one per function instance
                    StateRepository repo = new StateRepository(new FileSystemStateStore(root), 10, 7);
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        Resource r = bucket(writer * perWriter + i, false, SCAN.plusMillis(1 + i * writers + writer));
                        repo.recordUpdate(ResourceUpdate.present(r, List.of(), "evt-" + writer + "-" + i));
                        repo.compactIfDue();
                    }
                    return null;
                }));
            }
            Future<?> compactor = pool.submit(() -> {
                StateRepository repo = new StateRepository(new FileSystemStateStore(root));
                start.await();
                while (writing.get()) {
                    repo.compact();
                    Thread.sleep(2);
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            compactor.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        Snapshot latest = new StateRepository(new FileSystemStateStore(root)).latestSnapshot().orElseThrow();
        assertThat(latest.resources()).hasSize(120);
        long changed = latest.resources().stream().filter(r -> !r.attributes().path("versioning").asBoolean()).count();
        assertThat(changed).as("every update survives concurrent writers and compactions")
                .isEqualTo((long) writers * perWriter);
    }
}
