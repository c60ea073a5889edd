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

    @Test
    void eventsAreSmallObservationsLaidOverTheHistoryAndFoldedByTheNextScan() {
        FindingHistory h = history();
        h.recordScan(T1, "t1", List.of(finding(SITE, T1)), readExcept());
        Instant fixedAt = T1.plus(Duration.ofHours(1));
        h.recordEvent(List.of(FindingHistory.Observation.of(fixedAt, SITE, "e-1", List.of())));
        h.recordEvent(List.of(FindingHistory.Observation.of(fixedAt, SITE, "e-1", List.of()))); // a redelivery is the same object

        assertThat(h.pendingObservations()).hasSize(1);
        assertThat(entry(h, SITE).resolvedAt()).as("read through the pending observation").isEqualTo(fixedAt);

        h.recordScan(T2, "t2", List.of(), readExcept());
        assertThat(h.pendingObservations()).isEmpty();
        Entry site = entry(h, SITE);
        assertThat(site.resolvedAt()).as("resolved by the event, not by the later scan").isEqualTo(fixedAt);
        assertThat(site.transitions()).extracting(Transition::source).containsExactly("scan:t1", "event:e-1");
    }

    @Test
    void refoldingAnObservationAlreadyFoldedChangesNothing() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        FindingHistory h = new FindingHistory(store);
        h.recordScan(T1, "t1", List.of(), readExcept());
        h.recordEvent(List.of(FindingHistory.Observation.of(T1.plusSeconds(60), SITE, "e-1", List.of(finding(SITE, T1)))));
        String observation = h.pendingObservations().get(0);
        byte[] kept = store.get(observation).orElseThrow().data();
        h.recordScan(T2, "t2", List.of(finding(SITE, T2)), readExcept());
        // a writer killed between writing the history and deleting what it folded leaves the observation behind
        store.put(observation, kept, Precondition.NONE);
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
}
