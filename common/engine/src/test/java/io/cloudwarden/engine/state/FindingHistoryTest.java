package io.cloudwarden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.state.FindingHistory.Change;
import io.cloudwarden.engine.state.FindingHistory.Entry;
import io.cloudwarden.engine.state.FindingHistory.Transition;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingHistoryTest {
    static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T2 = T1.plus(Duration.ofDays(1));
    static final Instant T3 = T2.plus(Duration.ofDays(1));
    static final ResourceRef SITE = bucket("us-east-1", "site");
    static final ResourceRef LOGS = bucket("eu-west-1", "logs");
    static final String RULE = "storage-no-public-access";

    @TempDir
    Path dir;

    static ResourceRef bucket(String region, String name) {
        return new ResourceRef(Cloud.AWS, "111122223333", region, "storage.bucket", "arn:aws:s3:::" + name);
    }

    static Finding finding(ResourceRef ref, Instant at) {
        return new Finding(Finding.idFor(RULE, ref), RULE, "Bucket is public", Severity.HIGH, Finding.Status.FAIL,
                ref, "public", List.of(), Optional.empty(), at);
    }

    /** Everything read except the scopes of {@code errors}, as the scan path decides it. */
    static Predicate<ResourceRef> readExcept(ScanError... errors) {
        return ref -> List.of(errors).stream().noneMatch(e -> e.covers(ref));
    }

    FindingHistory history() {
        return new FindingHistory(new FileSystemStateStore(dir));
    }

    Entry entry(FindingHistory h, ResourceRef ref) {
        return h.entries(e -> e.resource().equals(ref)).stream().findFirst().orElseThrow();
    }

    @Test
    void aFindingIsOpenedSeenAndResolvedWhileOneInAnUnreadShardStaysOpen() {
        FindingHistory h = history();
        h.recordScan(T1, "t1", List.of(finding(SITE, T1), finding(LOGS, T1)), readExcept());
        h.recordScan(T2, "t2", List.of(finding(SITE, T2), finding(LOGS, T2)), readExcept());
        ScanError logsUnread = new ScanError(Cloud.AWS, "111122223333", "eu-west-1", "storage.bucket", "denied",
                "AccessDenied");
        // the third scan read site (fixed: no finding) but not the eu-west-1 shard; the merged snapshot still
        // evaluates the carried-over copy of logs, which must not count as a sighting either
        h.recordScan(T3, "t3", List.of(finding(LOGS, T3)), readExcept(logsUnread));

        Entry site = entry(h, SITE);
        assertThat(site.firstSeen()).isEqualTo(T1);
        assertThat(site.lastSeen()).isEqualTo(T2);
        assertThat(site.resolvedAt()).isEqualTo(T3);
        assertThat(site.timesSeen()).isEqualTo(2);
        assertThat(site.seenIn()).extracting(FindingHistory.Sighting::source).containsExactly("scan:t1", "scan:t2");
        assertThat(site.transitions()).extracting(Transition::change, Transition::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.OPENED, T1),
                        org.assertj.core.groups.Tuple.tuple(Change.RESOLVED, T3));

        Entry logs = entry(h, LOGS);
        assertThat(logs.open()).isTrue();
        assertThat(logs.resolvedAt()).isNull();
        assertThat(logs.lastSeen()).as("the unread scan is not a sighting").isEqualTo(T2);
        assertThat(logs.transitions()).extracting(Transition::change).containsExactly(Change.OPENED);
    }

    @Test
    void aResolvedFindingThatFailsAgainIsReopenedKeepingItsFirstSeen() {
        FindingHistory h = history();
        h.recordScan(T1, "t1", List.of(finding(SITE, T1)), readExcept());
        h.recordScan(T2, "t2", List.of(), readExcept());
        h.recordScan(T3, "t3", List.of(finding(SITE, T3)), readExcept());

        Entry site = entry(h, SITE);
        assertThat(site.firstSeen()).isEqualTo(T1);
        assertThat(site.open()).isTrue();
        assertThat(site.transitions()).extracting(Transition::change)
                .containsExactly(Change.OPENED, Change.RESOLVED, Change.REOPENED);
    }

    /** What the event path records for one re-read resource: its update, evaluated at {@code at}. */
    static StateRepository.ResourceUpdate observed(ResourceRef ref, Instant at, String eventId, Finding... findings) {
        io.cloudwarden.model.Resource r = io.cloudwarden.model.Resource.builder().cloud(ref.cloud())
                .account(ref.account()).region(ref.region()).type(ref.type()).id(ref.id())
                .name(ref.id().substring(ref.id().lastIndexOf(':') + 1))
                .attributes(io.cloudwarden.model.ModelJson.mapper().createObjectNode().put("publicAccess",
                        findings.length > 0)).observedAt(at.minusMillis(5)).build();
        return StateRepository.ResourceUpdate.present(r, List.of(findings), eventId).evaluatedAt(at);
    }

    @Test
    void anEventsObservationIsItsUpdateLaidOverTheHistoryAndFoldedByTheCompactionThatDeletesIt() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        StateRepository repo = new StateRepository(store);
        h.recordScan(T1, "t1", List.of(finding(SITE, T1)), readExcept());
        Instant fixedAt = T1.plus(Duration.ofHours(1));
        repo.recordUpdate(observed(SITE, fixedAt, "e-1"));
        repo.recordUpdate(observed(SITE, fixedAt, "e-1")); // a redelivery is the same object

        assertThat(repo.pendingUpdates()).hasSize(1);
        assertThat(h.pendingObservations()).as("no separate observation object").isEmpty();
        assertThat(entry(h, SITE).resolvedAt()).as("read through the pending update").isEqualTo(fixedAt);

        repo.compact();
        assertThat(repo.pendingUpdates()).isEmpty();
        assertThat(entry(h, SITE).resolvedAt()).as("folded before the update was deleted").isEqualTo(fixedAt);
        h.recordScan(T2, "t2", List.of(), readExcept());
        Entry site = entry(h, SITE);
        assertThat(site.resolvedAt()).as("resolved by the event, not by the later scan").isEqualTo(fixedAt);
        assertThat(site.transitions()).extracting(Transition::source).containsExactly("scan:t1", "event:e-1");
    }

    @Test
    void aFullScanFoldsTheEventsItSupersedesIntoTheHistoryBeforeDeletingTheirUpdates() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        StateRepository repo = new StateRepository(store);
        repo.saveSnapshot(io.cloudwarden.model.Snapshot.of(T1, List.of(), List.of()));
        repo.recordUpdate(observed(SITE, T1.plusSeconds(60), "e-open", finding(SITE, T1)));
        repo.recordUpdate(observed(SITE, T1.plusSeconds(120), "e-fix")); // supersedes e-open in the snapshot view

        repo.saveSnapshot(io.cloudwarden.model.Snapshot.of(T2, List.of(), List.of()));
        assertThat(repo.pendingUpdates()).isEmpty();
        Entry site = entry(h, SITE);
        assertThat(site.transitions()).as("every event is folded, the superseded one too")
                .extracting(Transition::change, Transition::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.OPENED, "event:e-open"),
                        org.assertj.core.groups.Tuple.tuple(Change.RESOLVED, "event:e-fix"));
    }

    @Test
    void observationsWrittenApartByTheOlderLayoutAreStillReadAndFolded() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        h.recordScan(T1, "t1", List.of(finding(SITE, T1), finding(LOGS, T1)), readExcept());
        // what an event of the previous version wrote next to its update (which had no evaluatedAt)
        Instant fixedAt = T1.plus(Duration.ofHours(1));
        String old = "{\"schema\":\"cloudwarden/finding-observation/v1\",\"observedAt\":\"" + fixedAt + "\","
                + "\"ref\":{\"cloud\":\"aws\",\"account\":\"111122223333\",\"region\":\"us-east-1\","
                + "\"type\":\"storage.bucket\",\"id\":\"arn:aws:s3:::site\"},\"source\":\"e-old\",\"findings\":[]}";
        store.put(FindingHistory.OBSERVATIONS + "2026-11-23T11-00-00.000000000Z-0123456789abcdef-0123456789ab.json",
                old.getBytes(StandardCharsets.UTF_8), Precondition.IF_ABSENT);
        new StateRepository(store).recordUpdate(StateRepository.ResourceUpdate.deleted(LOGS, fixedAt, "e-old"));

        assertThat(entry(h, SITE).resolvedAt()).isEqualTo(fixedAt);
        assertThat(entry(h, LOGS).open()).as("an older update is no observation: its own object was").isTrue();
        h.recordScan(T2, "t2", List.of(finding(SITE, T2), finding(LOGS, T2)), readExcept());
        assertThat(h.pendingObservations()).isEmpty();
        assertThat(entry(h, SITE).transitions()).extracting(Transition::source)
                .containsExactly("scan:t1", "event:e-old", "scan:t2");
    }

    @Test
    void refoldingAnObservationAlreadyFoldedChangesNothing() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        StateRepository repo = new StateRepository(store);
        h.recordScan(T1, "t1", List.of(), readExcept());
        String update = repo.recordUpdate(observed(SITE, T1.plusSeconds(60), "e-1", finding(SITE, T1)));
        byte[] kept = store.get(update).orElseThrow().data();
        repo.compact();
        h.recordScan(T2, "t2", List.of(finding(SITE, T2)), readExcept());
        // a compaction killed between folding the history and deleting the update leaves the update behind
        store.put(update, kept, Precondition.NONE);
        assertThat(entry(h, SITE).timesSeen()).as("read over the history: already in it").isEqualTo(2);
        repo.compact();
        h.recordScan(T3, "t3", List.of(finding(SITE, T3)), readExcept());

        Entry site = entry(h, SITE);
        assertThat(site.firstSeen()).isEqualTo(T1.plusSeconds(60));
        assertThat(site.timesSeen()).isEqualTo(3);
        assertThat(site.transitions()).extracting(Transition::change).containsExactly(Change.OPENED);
    }

    @Test
    void growthIsBounded() {
        FindingHistory h = history();
        Instant at = T1;
        for (int i = 0; i < FindingHistory.KEEP_SIGHTINGS + 5; i++) {
            at = at.plus(Duration.ofHours(1));
            h.recordScan(at, "s" + i, List.of(finding(SITE, at)), readExcept());
        }
        Entry site = entry(h, SITE);
        assertThat(site.timesSeen()).isEqualTo(FindingHistory.KEEP_SIGHTINGS + 5);
        assertThat(site.seenIn()).hasSize(FindingHistory.KEEP_SIGHTINGS).last()
                .extracting(FindingHistory.Sighting::at).isEqualTo(at);

        h.recordScan(at.plusSeconds(1), "fixed", List.of(), readExcept());
        h.recordScan(at.plus(FindingHistory.KEEP_RESOLVED).plusSeconds(2), "later", List.of(), readExcept());
        assertThat(h.entries(e -> true)).as("resolved longer than the retention ago: dropped").isEmpty();
    }

    @Test
    void aCorruptHistoryIsReportedByKeyAndNotOverwritten() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put(FindingHistory.KEY, "{\"schema\":\"cloudwarden/finding-history/v1\",\"entries\":[{".getBytes(
                StandardCharsets.UTF_8), Precondition.NONE);
        FindingHistory h = new FindingHistory(store);

        assertThatThrownBy(() -> h.recordScan(T1, "t1", List.of(finding(SITE, T1)), readExcept()))
                .isInstanceOf(StateStoreException.class).hasMessageContaining(FindingHistory.KEY);
        assertThat(new String(store.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8))
                .endsWith("[{");
    }

    /** A finding of {@code rule} on {@code ref}. */
    static Finding finding(String rule, ResourceRef ref, Instant at) {
        return new Finding(Finding.idFor(rule, ref), rule, "deviation of " + rule, Severity.MEDIUM,
                Finding.Status.FAIL, ref, "failing", List.of(), Optional.empty(), at);
    }

    /**
     * Scans and events over three rules and a dozen buckets: new findings that sort before, between and after the
     * stored ones, sightings, resolutions, reopenings, an unread shard, events between the scans, and a finding
     * resolved longer than the retention ago (dropped).
     */
    static void scansAndEvents(FindingHistory h, StateRepository repo) {
        List<ResourceRef> buckets = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            buckets.add(bucket(i % 3 == 0 ? "eu-west-1" : "us-east-1", "b" + (char) ('a' + (i * 7) % 12)));
        }
        List<String> rules = List.of("storage-no-public-access", "bucket-versioning", "access-logging");
        ScanError euUnread = new ScanError(Cloud.AWS, "111122223333", "eu-west-1", "storage.bucket", "denied",
                "AccessDenied");
        Instant old = T1.minus(FindingHistory.KEEP_RESOLVED).minus(Duration.ofDays(2));
        h.recordScan(old, "old", List.of(finding("zz-retired", buckets.get(0), old)), readExcept());
        h.recordScan(old.plusSeconds(1), "old-fixed", List.of(), readExcept());
        for (int scan = 0; scan < 4; scan++) {
            Instant at = T1.plus(Duration.ofHours(scan));
            List<Finding> found = new java.util.ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                for (int r = 0; r < rules.size(); r++) {
                    if ((i + r + scan) % (r + 2) != 0) {
                        found.add(finding(rules.get(r), buckets.get(i), at));
                    }
                }
            }
            h.recordScan(at, "s" + scan, found, scan == 2 ? readExcept(euUnread) : readExcept());
            ResourceRef touched = buckets.get(scan * 3 % buckets.size());
            repo.recordUpdate(observed(touched, at.plus(Duration.ofMinutes(20)), "e-" + scan,
                    scan % 2 == 0 ? new Finding[0] : new Finding[] {finding(RULE, touched, at)}));
            if (scan == 1) {
                repo.compact(); // folds the events' observations through foldUpdates
            }
        }
    }

    @Test
    void theStreamedFoldWritesTheDocumentTheWholeDocumentFoldWrites() throws Exception {
        Path streamedDir = Files.createDirectories(dir.resolve("streamed"));
        Path wholeDir = Files.createDirectories(dir.resolve("whole"));
        FileSystemStateStore streamed = new FileSystemStateStore(streamedDir);
        FileSystemStateStore whole = new FileSystemStateStore(wholeDir);
        scansAndEvents(new FindingHistory(streamed), new StateRepository(streamed));
        scansAndEvents(new FindingHistory(whole, false), new StateRepository(whole));

        String written = new String(streamed.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8);
        assertThat(written).as("the same bytes")
                .isEqualTo(new String(whole.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8));
        List<Entry> entries = new FindingHistory(streamed).entries(e -> true);
        assertThat(entries).hasSizeGreaterThan(30);
        assertThat(entries).extracting(Entry::ruleId).as("the retired finding was dropped")
                .doesNotContain("zz-retired");
        assertThat(entries).anySatisfy(e -> assertThat(e.transitions()).extracting(Transition::change)
                .contains(Change.REOPENED));
        assertThat(entries).anySatisfy(e -> assertThat(e.resolvedAt()).isNotNull());
    }

    /**
     * A store that passes every call to {@code delegate} through the interface's own {@code open} and
     * {@code putStream} (one array each way: what the fold read and wrote before the streamed SPI), and runs
     * {@code beforeWrite} once, just before the first write of the history.
     */
    static final class ArrayOnlyStore implements io.cloudwarden.engine.spi.StateStore {
        final FileSystemStateStore delegate;
        Runnable beforeWrite;
        int historyWrites;

        ArrayOnlyStore(FileSystemStateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<io.cloudwarden.engine.spi.StoredObject> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] data, Precondition precondition) {
            if (key.equals(FindingHistory.KEY)) {
                historyWrites++;
                if (beforeWrite != null) {
                    Runnable r = beforeWrite;
                    beforeWrite = null;
                    r.run();
                }
            }
            return delegate.put(key, data, precondition);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
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
    void theFoldStreamedThroughTheStoreWritesTheBytesTheArrayPathWrites() throws Exception {
        Path streamedDir = Files.createDirectories(dir.resolve("streamed"));
        Path arrayDir = Files.createDirectories(dir.resolve("array"));
        FileSystemStateStore streamed = new FileSystemStateStore(streamedDir);
        ArrayOnlyStore arrays = new ArrayOnlyStore(new FileSystemStateStore(arrayDir));
        scansAndEvents(new FindingHistory(streamed), new StateRepository(streamed));
        scansAndEvents(new FindingHistory(arrays), new StateRepository(arrays));

        assertThat(arrays.historyWrites).isGreaterThan(3);
        assertThat(Files.readString(streamedDir.resolve(FindingHistory.KEY))).as("the same bytes")
                .isEqualTo(Files.readString(arrayDir.resolve(FindingHistory.KEY)));
    }

    @Test
    void aFoldThatLosesItsIfMatchToAnotherWriterReReadsTheStreamAndKeepsBothFolds() {
        // the other writer folds between this fold's read (open) and its write: the write's IF_MATCH on the version
        // of the bytes streamed fails, and the fold is made again on the other writer's document
        FileSystemStateStore fs = new FileSystemStateStore(dir);
        new FindingHistory(fs).recordScan(T1, "t1", List.of(finding(SITE, T1)), readExcept());
        ArrayOnlyStore racing = new ArrayOnlyStore(fs);
        racing.beforeWrite = () -> new FindingHistory(fs).recordScan(T2, "t2", List.of(finding(LOGS, T2)),
                ref -> ref.equals(LOGS));
        new FindingHistory(racing).recordScan(T3, "t3", List.of(finding(SITE, T3)), ref -> ref.equals(SITE));

        assertThat(racing.historyWrites).as("the first write lost its IF_MATCH and was made again").isEqualTo(2);
        FindingHistory h = history();
        assertThat(entry(h, LOGS).firstSeen()).as("the other writer's fold is kept").isEqualTo(T2);
        assertThat(entry(h, SITE).lastSeen()).isEqualTo(T3);
        assertThat(entry(h, SITE).timesSeen()).isEqualTo(2);
    }

    @Test
    void aHistoryNotInTheWritersOrderIsFoldedWholeToTheSameResult() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        h.recordScan(T1, "t1", List.of(finding(SITE, T1), finding(LOGS, T1), finding("bucket-versioning", SITE, T1)),
                readExcept());
        byte[] sorted = store.get(FindingHistory.KEY).orElseThrow().data();
        // the same document by hand: entries reversed and updatedAt after them
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.cloudwarden.model.ModelJson.mapper().readTree(sorted);
        com.fasterxml.jackson.databind.node.ArrayNode reversed = doc.arrayNode();
        doc.withArray("entries").forEach(e -> reversed.insert(0, e));
        com.fasterxml.jackson.databind.node.ObjectNode edited = doc.objectNode();
        edited.put("schema", FindingHistory.SCHEMA).set("entries", reversed);
        edited.set("updatedAt", doc.get("updatedAt"));
        Path otherDir = Files.createDirectories(dir.resolve("edited"));
        FileSystemStateStore other = new FileSystemStateStore(otherDir);
        other.put(FindingHistory.KEY, io.cloudwarden.model.ModelJson.mapper().writeValueAsBytes(edited),
                Precondition.NONE);

        h.recordScan(T2, "t2", List.of(finding(LOGS, T2)), readExcept());
        new FindingHistory(other).recordScan(T2, "t2", List.of(finding(LOGS, T2)), readExcept());

        assertThat(new String(other.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8))
                .isEqualTo(new String(store.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8));
        assertThat(entry(new FindingHistory(other), SITE).resolvedAt()).isEqualTo(T2);
    }

    @Test
    void aHistoryWithAnEntryThatDoesNotBindIsReportedByKeyAndNotOverwritten() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        h.recordScan(T1, "t1", List.of(finding(SITE, T1), finding(LOGS, T1)), readExcept());
        String stored = new String(store.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8);
        String broken = stored.replaceFirst("\"firstSeen\":\"[^\"]+\"", "\"firstSeen\":\"yesterday\"");
        assertThat(broken).isNotEqualTo(stored);
        store.put(FindingHistory.KEY, broken.getBytes(StandardCharsets.UTF_8), Precondition.NONE);

        assertThatThrownBy(() -> h.recordScan(T2, "t2", List.of(finding(SITE, T2)), readExcept()))
                .isInstanceOf(StateStoreException.class).hasMessageContaining(FindingHistory.KEY)
                .hasMessageContaining("yesterday");
        assertThat(new String(store.get(FindingHistory.KEY).orElseThrow().data(), StandardCharsets.UTF_8))
                .isEqualTo(broken);
    }
}
