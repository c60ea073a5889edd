package io.cloudwarden.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.audit.AuditVerification.Kind;
import io.cloudwarden.engine.audit.AuditVerification.Problem;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.ModelJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments, digests and what verify names; segments of 4 records so a few appends close several. */
class SegmentedTrailTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    @TempDir
    Path keys;

    private Ed25519KeyFile key;
    private final Ticking clock = new Ticking();

    /** One minute later on every read, so records have distinct times. */
    static final class Ticking extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plus(Duration.ofMinutes(1));
            return t;
        }
    }

    @BeforeEach
    void key() {
        key = Ed25519KeyFile.generate(keys.resolve("audit-signing.pem"));
    }

    private AuditChain chain(AuditSigner signer) {
        return new AuditChain(new FileSystemStateStore(dir), clock,
                AuditChain.Settings.DEFAULT.withSegmentRecords(4).withSigner(signer));
    }

    private AuditChain chain() {
        return chain(key);
    }

    private void append(AuditChain chain, int n) {
        for (int i = 0; i < n; i++) {
            chain.append(Actor.SYSTEM, "scan", "aws/111122223333", "ok",
                    ModelJson.mapper().createObjectNode().put("i", i));
        }
    }

    private AuditVerification verify() {
        return chain().verify(AuditChain.Scope.ALL, Optional.of(key.trustedKey()));
    }

    private Path segment(long n) {
        return dir.resolve(AuditChain.segmentKey(n));
    }

    @Test
    void recordsFillSegmentsOfFixedSizeChainedAcrossThemAndClosedSegmentsGetSignedDigests() throws Exception {
        AuditChain chain = chain();
        append(chain, 10);

        assertThat(segment(1)).exists();
        assertThat(Files.readAllLines(segment(1))).hasSize(4);
        assertThat(Files.readAllLines(segment(3))).hasSize(2);
        List<AuditRecord> all = chain.read();
        assertThat(all).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(all.get(4).prevHash()).as("segment 2 starts from segment 1's last hash")
                .isEqualTo(all.get(3).hash());
        assertThat(dir.resolve(AuditChain.digestKey(1))).exists();
        assertThat(dir.resolve(AuditChain.digestKey(2))).exists();
        assertThat(dir.resolve(AuditChain.digestKey(3))).as("the open segment has no digest").doesNotExist();

        AuditVerification v = verify();
        assertThat(v.status()).isEqualTo(AuditVerification.Status.INTACT);
        assertThat(v.records()).isEqualTo(10);
        assertThat(v.segments()).isEqualTo(3);
        assertThat(v.signedDigests()).isEqualTo(2);
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("segment 3 is open"));
    }

    /** Counts the writes of segments. */
    static final class CountingSegments implements io.cloudwarden.engine.spi.StateStore {
        final FileSystemStateStore inner;
        int segmentWrites;

        CountingSegments(Path dir) {
            inner = new FileSystemStateStore(dir);
        }

        @Override
        public Optional<io.cloudwarden.engine.spi.StoredObject> get(String key) {
            return inner.get(key);
        }

        @Override
        public String put(String key, byte[] data, io.cloudwarden.engine.spi.Precondition precondition) {
            if (key.startsWith(AuditChain.SEGMENTS)) {
                segmentWrites++;
            }
            return inner.put(key, data, precondition);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    private static AuditChain.Entry entry(int i) {
        return new AuditChain.Entry(Actor.SYSTEM, "event", "aws/111122223333", "processed",
                ModelJson.mapper().createObjectNode().put("i", i));
    }

    @Test
    void aBatchIsOneWriteWhereItFitsAndSpillsIntoTheNextSegmentWithTheChainIntact() throws Exception {
        CountingSegments store = new CountingSegments(dir);
        AuditChain chain = new AuditChain(store, clock, AuditChain.Settings.DEFAULT.withSegmentRecords(4)
                .withSigner(key));
        chain.appendAll(List.of(entry(1), entry(2)));
        assertThat(store.segmentWrites).as("two records, one write").isEqualTo(1);

        List<AuditRecord> stored = chain.appendAll(List.of(entry(3), entry(4), entry(5)));
        assertThat(store.segmentWrites).as("the rest of segment 1, then segment 2").isEqualTo(3);
        assertThat(stored).extracting(AuditRecord::seq).containsExactly(3L, 4L, 5L);
        assertThat(Files.readAllLines(segment(1))).hasSize(4);
        assertThat(Files.readAllLines(segment(2))).hasSize(1);
        List<AuditRecord> all = chain.read();
        assertThat(all).extracting(r -> r.details().path("i").asInt()).containsExactly(1, 2, 3, 4, 5);
        assertThat(all.get(4).prevHash()).isEqualTo(all.get(3).hash());
        assertThat(dir.resolve(AuditChain.digestKey(1))).exists();
        AuditVerification v = verify();
        assertThat(v.status()).isEqualTo(AuditVerification.Status.INTACT);
        assertThat(v.records()).isEqualTo(5);
    }

    @Test
    void recordsMadeInABatchAreWrittenTogetherWhenItEndsAlsoWhenItFailsAndAFlushWritesThemEarlier() {
        CountingSegments store = new CountingSegments(dir);
        AuditChain chain = new AuditChain(store, clock, AuditChain.Settings.DEFAULT.withSigner(key));
        List<Long> seen = new ArrayList<>();
        chain.onAppend(r -> seen.add(r.seq()));

        chain.batched(() -> {
            chain.record(Actor.SYSTEM, "event", "e-1", "processed", null);
            chain.record(Actor.SYSTEM, "remediation.plan", "site", "created", null);
            assertThat(chain.read()).as("not written yet").isEmpty();
            return null;
        });
        assertThat(store.segmentWrites).isEqualTo(1);
        assertThat(seen).as("listeners see every record").containsExactly(1L, 2L);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> chain.batched(() -> {
            chain.record(Actor.SYSTEM, "event", "e-2", "processed", null);
            chain.flush(); // what the executor does before it changes the cloud
            assertThat(chain.read()).hasSize(3);
            chain.record(Actor.SYSTEM, "remediation.apply", "site", "failed", null);
            throw new IllegalStateException("dispatch failed");
        })).hasMessage("dispatch failed");
        assertThat(chain.read()).extracting(AuditRecord::action)
                .containsExactly("event", "remediation.plan", "event", "remediation.apply");
        chain.record(Actor.SYSTEM, "scan", "t", "complete", null); // no batch open: written now
        assertThat(chain.read()).hasSize(5);
        assertThat(verify().status()).isEqualTo(AuditVerification.Status.INTACT);
    }

    @Test
    void aDigestSignsItsSegmentsLastHashCountTimesAndThePreviousDigest() throws Exception {
        append(chain(), 9);
        SegmentDigest d1 = ModelJson.mapper().readValue(dir.resolve(AuditChain.digestKey(1)).toFile(),
                SegmentDigest.class);
        SegmentDigest d2 = ModelJson.mapper().readValue(dir.resolve(AuditChain.digestKey(2)).toFile(),
                SegmentDigest.class);
        List<AuditRecord> all = chain().read();

        assertThat(d2.segment()).isEqualTo(2);
        assertThat(d2.records()).isEqualTo(4);
        assertThat(d2.firstSeq()).isEqualTo(5);
        assertThat(d2.lastSeq()).isEqualTo(8);
        assertThat(d2.lastHash()).isEqualTo(all.get(7).hash());
        assertThat(d2.firstTime()).isEqualTo(all.get(4).time());
        assertThat(d2.lastTime()).isEqualTo(all.get(7).time());
        assertThat(d1.previousDigestHash()).isEqualTo(AuditRecord.GENESIS);
        assertThat(d2.previousDigestHash()).isEqualTo(AuditChain.digestHash(d1));
        assertThat(d2.signature().keyId()).isEqualTo(key.keyId());
        assertThat(d2.signature().algorithm()).isEqualTo("ED25519");
        assertThat(SignatureAlgorithms.verify("ED25519", key.trustedKey().publicKey(),
                AuditChain.signedBytes(ModelJson.mapper().valueToTree(d2)),
                java.util.Base64.getDecoder().decode(d2.signature().value()))).isTrue();
    }

    @Test
    void anEditedRecordInAClosedSegmentIsNamed() throws Exception {
        append(chain(), 10);
        Files.writeString(segment(2), Files.readString(segment(2)).replaceFirst("\"i\":5", "\"i\":9"));

        AuditVerification v = verify();

        assertThat(v.status()).isEqualTo(AuditVerification.Status.BROKEN);
        assertThat(v.problems()).extracting(Problem::kind).contains(Kind.EDITED_RECORD);
        assertThat(v.firstBrokenSeq()).hasValue(6);
        assertThat(v.problems().get(0).message()).contains("record seq 6").contains("edited");
    }

    @Test
    void aDroppedTailOfAClosedSegmentIsNamedByItsDigest() throws Exception {
        append(chain(), 10);
        List<String> lines = Files.readAllLines(segment(2));
        Files.write(segment(2), lines.subList(0, 2));

        AuditVerification v = verify();

        assertThat(v.problems()).extracting(Problem::kind).contains(Kind.DROPPED_TAIL);
        assertThat(v.problems()).filteredOn(p -> p.kind() == Kind.DROPPED_TAIL).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("segment 2 ends at seq 6")
                        .contains("2 records were dropped"));
    }

    @Test
    void aDeletedSegmentIsNamedBetweenItsNeighboursAndAtTheEnd() throws Exception {
        append(chain(), 14);
        Files.delete(segment(2));

        AuditVerification middle = verify();
        assertThat(middle.problems()).filteredOn(p -> p.kind() == Kind.MISSING_SEGMENT).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("segment 2").contains("seq 5..8")
                        .contains("though its digest exists"));

        Files.delete(segment(4));
        assertThat(verify().problems()).filteredOn(p -> p.kind() == Kind.MISSING_SEGMENT)
                .extracting(Problem::segment).containsExactly(2L, 4L);
    }

    @Test
    void aRecomputedChainReSignedUnderAnotherKeyIsNamed() throws Exception {
        append(chain(), 10);
        List<AuditRecord> original = chain().read();
        // The attacker can write the store: they drop record 6, recompute every hash and re-sign with their key.
        try (Stream<Path> files = Files.walk(dir.resolve("audit"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Ed25519KeyFile attacker = Ed25519KeyFile.generate(keys.resolve("attacker.pem"));
        AuditChain forged = chain(attacker);
        for (AuditRecord r : original) {
            if (r.seq() != 6) {
                forged.append(r.actor(), r.action(), r.subject(), r.outcome(), r.details());
            }
        }
        assertThat(forged.verify().intact()).as("without the trusted key the forgery is self-consistent").isTrue();

        AuditVerification v = verify();

        assertThat(v.intact()).isFalse();
        assertThat(v.problems()).extracting(Problem::kind).containsOnly(Kind.FOREIGN_KEY);
        assertThat(v.problems().get(0).message()).contains("signed by key " + attacker.keyId())
                .contains("not the trusted key " + key.keyId());
    }

    @Test
    void aDigestReSignedUnderAnotherKeyButClaimingTheTrustedKeyIdFailsItsSignature() throws Exception {
        append(chain(), 5);
        Path d1 = dir.resolve(AuditChain.digestKey(1));
        SegmentDigest d = ModelJson.mapper().readValue(d1.toFile(), SegmentDigest.class);
        Ed25519KeyFile attacker = Ed25519KeyFile.generate(keys.resolve("attacker.pem"));
        byte[] sig = attacker.sign(AuditChain.signedBytes(ModelJson.mapper().valueToTree(d)));
        Files.write(d1, ModelJson.mapper().writeValueAsBytes(d.withSignature(new SegmentDigest.Signature(
                key.keyId(), "ED25519", java.util.Base64.getEncoder().encodeToString(sig)))));

        assertThat(verify().problems()).extracting(Problem::kind).containsExactly(Kind.BAD_SIGNATURE);
    }

    @Test
    void aMissingTrailIsNotVerified() {
        AuditVerification v = verify();
        assertThat(v.status()).isEqualTo(AuditVerification.Status.NO_TRAIL);
        assertThat(v.intact()).isFalse();
    }

    @Test
    void aSingleFileTrailIsKeptAsSegmentZeroAndContinued() throws Exception {
        AuditChain old = new AuditChain(new FileSystemStateStore(dir), clock,
                AuditChain.Settings.DEFAULT.withSegmentRecords(1000));
        append(old, 3);
        // what an earlier version left: the same records in one audit.jsonl, nothing under audit/
        Files.move(segment(1), dir.resolve("audit.jsonl"));
        Files.delete(dir.resolve(AuditChain.HEAD));
        String legacy = Files.readString(dir.resolve("audit.jsonl"));

        AuditChain chain = chain();
        append(chain, 6);

        assertThat(Files.readString(dir.resolve("audit.jsonl"))).as("not rewritten").isEqualTo(legacy);
        List<AuditRecord> all = chain.read();
        assertThat(all).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(all.get(3).prevHash()).isEqualTo(all.get(2).hash());
        assertThat(dir.resolve(AuditChain.digestKey(0))).as("the frozen file gets a digest").exists();
        AuditVerification v = verify();
        assertThat(v.intact()).as(v.problems().toString()).isTrue();
        assertThat(v.records()).isEqualTo(9);
        assertThat(v.signedDigests()).isEqualTo(2);

        Files.writeString(dir.resolve("audit.jsonl"), legacy + Files.readAllLines(segment(1)).get(0) + "\n");
        assertThat(verify().problems()).extracting(Problem::kind).contains(Kind.LEGACY_CHANGED);
    }

    @Test
    void aTimeRangeOrOneSegmentCanBeVerifiedAlone() throws Exception {
        append(chain(), 12); // minute 0..11: segments 1 (0-3), 2 (4-7), 3 (8-11)
        Files.writeString(segment(1), Files.readString(segment(1)).replaceFirst("\"i\":1", "\"i\":7"));

        AuditVerification later = chain().verify(AuditChain.Scope.between(T0.plus(Duration.ofMinutes(5)), null),
                Optional.of(key.trustedKey()));
        assertThat(later.intact()).as(later.problems().toString()).isTrue();
        assertThat(later.segments()).isEqualTo(2);
        assertThat(chain().verify(AuditChain.Scope.segment(3), Optional.of(key.trustedKey())).intact()).isTrue();
        AuditVerification first = chain().verify(AuditChain.Scope.segment(1), Optional.of(key.trustedKey()));
        assertThat(first.problems()).extracting(Problem::kind).containsExactly(Kind.EDITED_RECORD);
        assertThat(first.records()).isEqualTo(4);

        List<AuditRecord> exported = new ArrayList<>();
        chain().forEach(AuditChain.Scope.between(T0.plus(Duration.ofMinutes(6)), T0.plus(Duration.ofMinutes(9))),
                exported::add);
        assertThat(exported).extracting(AuditRecord::seq).containsExactly(7L, 8L, 9L);
    }

    @Test
    void eightWriterProcessesNeitherLoseRecordsNorForkTheChain() throws Exception {
        int writers = 8;
        int perWriter = 25;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            procs.add(new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), "io.cloudwarden.engine.state.ConcurrentWriterMain",
                    "audit", dir.toString(), Integer.toString(perWriter), "p" + w, "8")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : procs) {
            assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        }

        AuditChain chain = new AuditChain(new FileSystemStateStore(dir));
        List<AuditRecord> all = chain.read();
        assertThat(all).hasSize(writers * perWriter);
        assertThat(all).extracting(AuditRecord::seq).doesNotHaveDuplicates();
        for (int w = 0; w < writers; w++) {
            String id = "p" + w;
            assertThat(all.stream().filter(r -> r.actor().id().equals(id))).as(id).hasSize(perWriter);
        }
        AuditVerification v = chain.verify();
        assertThat(v.intact()).as(v.problems().toString()).isTrue();
        assertThat(v.segments()).isEqualTo(writers * perWriter / 8);
        assertThat(chain.readDigests()).as("every closed segment got its digest").hasSize(writers * perWriter / 8 - 1);
    }

    @Test
    void writersThatDoNotSealLeaveDigestsToTheSignerWhichWritesThemAllOnSeal() throws Exception {
        AuditChain scanner = new AuditChain(new FileSystemStateStore(dir), clock,
                AuditChain.Settings.DEFAULT.withSegmentRecords(4).withSeals(false));
        append(scanner, 10);
        assertThat(dir.resolve("audit/digests")).doesNotExist();
        assertThat(verify().notes()).anySatisfy(n -> assertThat(n).contains("segment 1 is closed but has no digest"));

        assertThat(chain().seal()).isEqualTo(2);

        AuditVerification v = verify();
        assertThat(v.intact()).as(v.problems().toString()).isTrue();
        assertThat(v.signedDigests()).isEqualTo(2);
        assertThat(chain().seal()).as("idempotent").isZero();
    }
}
