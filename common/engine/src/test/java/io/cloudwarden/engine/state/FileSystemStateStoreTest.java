package io.cloudwarden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStateStoreTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetReturnsTheBytesAndAContentHashVersion() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);

        String v = store.put("snapshots/latest.json", utf8("{}"), Precondition.NONE);

        StoredObject o = store.get("snapshots/latest.json").orElseThrow();
        assertThat(o.data()).isEqualTo(utf8("{}"));
        assertThat(o.version()).isEqualTo(v).isEqualTo(Hashing.sha256Hex("{}"));
        assertThat(Files.readString(dir.resolve("snapshots/latest.json"))).isEqualTo("{}");
        assertThat(store.get("snapshots/none.json")).isEmpty();
    }

    @Test
    void anObjectLargerThanOneWriteSliceIsStoredWhole() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        byte[] data = new byte[3 * FileSystemStateStore.WRITE_SLICE + 7];
        new java.util.Random(18).nextBytes(data);

        String v = store.put("findings/history.json", data, Precondition.NONE);

        assertThat(Files.readAllBytes(dir.resolve("findings/history.json"))).isEqualTo(data);
        assertThat(store.get("findings/history.json").orElseThrow().version()).isEqualTo(v);
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).get("findings/history.json").orElseThrow().version()).isEqualTo(v);
    }

    @Test
    void ifAbsentAndIfMatchAreEnforced() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v1 = store.put("a.json", utf8("1"), Precondition.IF_ABSENT);

        assertThatThrownBy(() -> store.put("a.json", utf8("2"), Precondition.IF_ABSENT))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("a.json");
        String v2 = store.put("a.json", utf8("2"), Precondition.ifMatch(v1));
        assertThatThrownBy(() -> store.put("a.json", utf8("3"), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.put("b.json", utf8("3"), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("does not exist");
        assertThat(store.get("a.json").orElseThrow().version()).isEqualTo(v2);
        assertThat(new String(store.get("a.json").orElseThrow().data(), StandardCharsets.UTF_8)).isEqualTo("2");
    }

    @Test
    void keysMustStayInsideTheStateDirectory() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        for (String bad : List.of("/etc/passwd", "../x", "a/../../x", "a//b", "", "a\\b", ".lock", "a/./b", "c:/x")) {
            assertThatThrownBy(() -> store.put(bad, utf8("x"), Precondition.NONE))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state key");
        }
    }

    @Test
    void listIsSortedByPrefixAndHidesTheLockAndTempFiles() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("snapshots/b.json", utf8("b"), Precondition.NONE);
        store.put("snapshots/a.json", utf8("a"), Precondition.NONE);
        store.put("findings/latest.json", utf8("f"), Precondition.NONE);
        Files.writeString(dir.resolve("snapshots/" + FileSystemStateStore.TEMP_PREFIX + "dead-c.json"), "partial");

        assertThat(store.list("snapshots/")).containsExactly("snapshots/a.json", "snapshots/b.json");
        assertThat(store.list("")).containsExactly("findings/latest.json", "snapshots/a.json", "snapshots/b.json");
    }

    @Test
    void listNamesKeysInNestedFoldersByTheirWholePath() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("snapshots/updates/u1.json", utf8("1"), Precondition.NONE);
        store.put("audit/segments/000/s.jsonl", utf8("s"), Precondition.NONE);
        store.put("audit/digests/d.json", utf8("d"), Precondition.NONE);
        store.put("audit/head.json", utf8("h"), Precondition.NONE);
        store.put("snapshots/latest.json", utf8("l"), Precondition.NONE);

        assertThat(store.list("audit/")).containsExactly("audit/digests/d.json", "audit/head.json",
                "audit/segments/000/s.jsonl");
        assertThat(store.list("audit/seg")).containsExactly("audit/segments/000/s.jsonl");
        assertThat(store.list("snapshots/updates/")).containsExactly("snapshots/updates/u1.json");
        assertThat(store.list("")).containsExactly("audit/digests/d.json", "audit/head.json",
                "audit/segments/000/s.jsonl", "snapshots/latest.json", "snapshots/updates/u1.json");
    }

    @Test
    void aCrashMidWriteLeavesTheOldObjectIntactAndItsTempFileIsSweptLater() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("snapshots/latest.json", utf8("old complete content"), Precondition.NONE);
        // what a writer killed between write and rename leaves behind
        Path orphan = dir.resolve("snapshots/" + FileSystemStateStore.TEMP_PREFIX + "1234-latest.json");
        Files.writeString(orphan, "new conte");

        assertThat(new String(store.get("snapshots/latest.json").orElseThrow().data(), StandardCharsets.UTF_8))
                .isEqualTo("old complete content");
        FileSystemStateStore next = new FileSystemStateStore(dir);
        assertThat(orphan).as("opening a store writes nothing").exists();
        next.put("findings/latest.json", utf8("{}"), Precondition.NONE);
        assertThat(orphan).as("swept by the next process's first write").doesNotExist();
    }

    @Test
    void openingAndReadingAStoreWritesNothing() throws Exception {
        new FileSystemStateStore(dir).put("snapshots/latest.json", utf8("{}"), Precondition.NONE);
        Files.delete(dir.resolve(FileSystemStateStore.LOCK_FILE));
        Path archived = dir.resolve("archived");
        Files.move(dir.resolve("snapshots"), Files.createDirectories(archived).resolve("snapshots"));

        FileSystemStateStore reader = new FileSystemStateStore(archived);
        assertThat(reader.get("snapshots/latest.json")).isPresent();
        assertThat(reader.list("")).containsExactly("snapshots/latest.json");
        assertThat(new FileSystemStateStore(dir.resolve("never-created")).get("snapshots/latest.json")).isEmpty();

        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> dir.relativize(f).toString()).sorted().toList())
                    .containsExactly("", "archived", "archived/snapshots", "archived/snapshots/latest.json");
        }
    }

    private static String read(io.cloudwarden.engine.spi.StoredStream s) throws java.io.IOException {
        return new String(s.data().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aStreamedWriteStoresWhatTheWriterWroteWithTheVersionAPutOfTheSameBytesGets() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String small = store.putStream("a.json", out -> out.write(utf8("{\"a\":1}")), Precondition.IF_ABSENT);
        assertThat(small).as("a small object's version is its SHA-256, as put gives it")
                .isEqualTo(Hashing.sha256Hex("{\"a\":1}"));
        byte[] big = new byte[3 * FileSystemStateStore.WRITE_SLICE + 7];
        new java.util.Random(18).nextBytes(big);
        String v = store.putStream("findings/history.json", out -> {
            for (int off = 0; off < big.length; off += 1000) {
                out.write(big, off, Math.min(1000, big.length - off));
            }
            out.close(); // harmless: the store closes its own file
        }, Precondition.NONE);

        assertThat(FileSystemStateStore.isWriteVersion(v)).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("findings/history.json"))).isEqualTo(big);
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).get("findings/history.json").orElseThrow().version())
                .as("recorded and verified against the bytes' CRC32C by another process").isEqualTo(v);
    }

    @Test
    void aStreamedWriteThatFailsPartWayLeavesTheOldObjectAndNoTempFile() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v = store.put("findings/history.json", large('a'), Precondition.NONE);

        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> {
            out.write(large('b'));
            throw new IllegalStateException("the writer failed");
        }, Precondition.ifMatch(v))).isInstanceOf(IllegalStateException.class).hasMessage("the writer failed");
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> {
            out.write(large('c'));
            throw new java.io.IOException("disk full");
        }, Precondition.NONE)).isInstanceOf(io.cloudwarden.engine.spi.StateStoreException.class)
                .hasMessageContaining("disk full");

        assertThat(store.get("findings/history.json").orElseThrow().data()).isEqualTo(large('a'));
        assertThat(store.version("findings/history.json")).contains(v);
        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(FileSystemStateStore.TEMP_PREFIX));
        }
        assertThat(store.list("")).containsExactly("findings/history.json");
    }

    @Test
    void aStreamedWriteHonoursIfAbsentAndIfMatch() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v1 = store.putStream("findings/history.json", out -> out.write(large('a')), Precondition.IF_ABSENT);
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> out.write(large('b')),
                Precondition.IF_ABSENT)).isInstanceOf(PreconditionFailedException.class);
        String v2 = store.putStream("findings/history.json", out -> out.write(large('b')), Precondition.ifMatch(v1));
        assertThat(v2).isNotEqualTo(v1);
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> out.write(large('c')),
                Precondition.ifMatch(v1))).isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.putStream("none.json", out -> out.write(large('c')),
                Precondition.ifMatch(v1))).isInstanceOf(PreconditionFailedException.class);
        assertThat(store.get("findings/history.json").orElseThrow().data()).isEqualTo(large('b'));
        assertThat(store.list("")).containsExactly("findings/history.json");
        // in a write group the bytes are collected and kept with the group's other writes
        String v3 = store.group(() -> store.putStream("findings/history.json", out -> out.write(large('d')),
                Precondition.ifMatch(v2)));
        assertThat(store.get("findings/history.json").orElseThrow().version()).isEqualTo(v3);
    }

    @Test
    void aStreamedReadGivesTheBytesAndVersionOfTheObjectItOpenedWhateverIsWrittenMeanwhile() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String[] v = {store.put("findings/history.json", large('a'), Precondition.NONE)};
        for (boolean freshProcess : new boolean[] {false, true}) {
            if (freshProcess) {
                FileSystemStateStore.forgetCachedVersions(); // the version comes from the record, checked by CRC32C
            }
            try (var s = new FileSystemStateStore(dir).open("findings/history.json").orElseThrow()) {
                byte[] head = s.data().readNBytes(100);
                String next = store.put("findings/history.json", large('b'), Precondition.ifMatch(s.version()));
                assertThat(s.version()).isEqualTo(v[0]);
                assertThat(new String(head, StandardCharsets.UTF_8) + read(s)).isEqualTo(new String(large('a'),
                        StandardCharsets.UTF_8));
                assertThatThrownBy(() -> store.put("findings/history.json", large('c'), Precondition.ifMatch(v[0])))
                        .isInstanceOf(PreconditionFailedException.class);
                v[0] = store.put("findings/history.json", large('a'), Precondition.ifMatch(next));
            }
        }
        try (var s = store.open("small.json").map(x -> x).orElse(null)) {
            assertThat(s).isNull();
        }
        store.put("small.json", utf8("{}"), Precondition.NONE);
        try (var s = store.open("small.json").orElseThrow()) {
            assertThat(s.version()).isEqualTo(Hashing.sha256Hex("{}"));
            assertThat(read(s)).isEqualTo("{}");
        }
    }

    /**
     * Puts {@code large('a')} at {@code snapshots/latest.json} (a recorded write version), then overwrites the file in
     * place with {@code large('z')} and restores its modification time: the record's identity still matches, its
     * bytes do not. Forgets the JVM's cached versions; returns the recorded version.
     */
    private String putLargeThenEditInPlaceKeepingItsIdentity() throws Exception {
        String v = new FileSystemStateStore(dir).put("snapshots/latest.json", large('a'), Precondition.NONE);
        Path file = dir.resolve("snapshots/latest.json");
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(large('z')));
        }
        Files.setLastModifiedTime(file, modified);
        FileSystemStateStore.forgetCachedVersions();
        return v;
    }

    @Test
    void aStreamedReadDoesNotTakeAStaleRecordWhoseBytesDoNotHaveItsChecksum() throws Exception {
        // as aStaleRecordMatchingTheFilesIdentity...: the version of an opened file is settled from the open file
        // before its bytes are handed out, so a stale record cannot make an IF_MATCH pass on other bytes
        String v = putLargeThenEditInPlaceKeepingItsIdentity();
        Path file = dir.resolve("snapshots/latest.json");

        try (var s = new FileSystemStateStore(dir).open("snapshots/latest.json").orElseThrow()) {
            assertThat(s.version()).isNotEqualTo(v).isEqualTo(Hashing.sha256Hex(large('z')));
            assertThat(read(s)).isEqualTo(new String(large('z'), StandardCharsets.UTF_8));
        }
        FileSystemStateStore.forgetCachedVersions();
        assertThatThrownBy(() -> new FileSystemStateStore(dir).putStream("snapshots/latest.json",
                out -> out.write(large('c')), Precondition.ifMatch(v)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(large('z'));
    }

    private static byte[] large(char c) {
        return utf8(String.valueOf(c).repeat(FileSystemStateStore.RECORDED_VERSION_MIN_BYTES + 10));
    }

    private Path record(String key) {
        return dir.resolve(FileSystemStateStore.VERSIONS_DIR).resolve(key);
    }

    @Test
    void aLargeObjectsVersionIsRecordedBesideItAndUsedByAnotherProcessWhileTheFileIsUnchanged() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v = store.put("snapshots/latest.json", large('a'), Precondition.NONE);
        assertThat(v).as("a write version: the bytes' CRC32C and a write id, not a SHA-256")
                .matches("w[0-9a-f]{8}-[0-9a-f]{32}").isNotEqualTo(Hashing.sha256Hex(large('a')));
        assertThat(record("snapshots/latest.json")).exists();
        assertThat(store.list("")).as("records are not keys").containsExactly("snapshots/latest.json");
        assertThatThrownBy(() -> store.put(FileSystemStateStore.VERSIONS_DIR + "/x", utf8("x"), Precondition.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");

        // another process: nothing cached. The version comes from the record, not from the content: a record whose
        // write id was swapped (same file identity, same checksum) shows it, which a hash of the content would not
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).version("snapshots/latest.json")).contains(v);
        FileSystemStateStore.forgetCachedVersions();
        String recorded = Files.readString(record("snapshots/latest.json"));
        assertThat(recorded).startsWith("v2\t").endsWith("\t" + v);
        String forged = v.substring(0, 10) + "f".repeat(32);
        Files.writeString(record("snapshots/latest.json"), recorded.substring(0, recorded.lastIndexOf('\t') + 1)
                + forged);
        assertThat(new FileSystemStateStore(dir).version("snapshots/latest.json")).contains(forged);
        assertThat(new FileSystemStateStore(dir).get("snapshots/latest.json").orElseThrow().version())
                .isEqualTo(forged);
    }

    @Test
    void aFileWithoutARecordIsHashedAsBefore() throws Exception {
        // what a version before recorded versions wrote, or a record lost to a crash (written without fsync)
        Files.createDirectories(dir.resolve("snapshots"));
        Files.write(dir.resolve("snapshots/latest.json"), large('b'));
        Files.createDirectories(record("findings/latest.json").getParent());
        Files.writeString(record("findings/latest.json"), "v1\ttorn"); // a torn record is no record
        Files.createDirectories(dir.resolve("findings"));
        Files.write(dir.resolve("findings/latest.json"), large('c'));
        FileSystemStateStore.forgetCachedVersions();

        FileSystemStateStore store = new FileSystemStateStore(dir);
        assertThat(store.version("snapshots/latest.json")).contains(Hashing.sha256Hex(large('b')));
        assertThat(store.get("snapshots/latest.json").orElseThrow().version()).isEqualTo(Hashing.sha256Hex(large('b')));
        assertThat(store.version("findings/latest.json")).contains(Hashing.sha256Hex(large('c')));
        String v = store.put("snapshots/latest.json", large('d'), Precondition.ifMatch(Hashing.sha256Hex(large('b'))));
        assertThat(v).isNotEqualTo(Hashing.sha256Hex(large('d')));
        assertThat(store.version("snapshots/latest.json")).contains(v);
    }

    @Test
    void aRecordOfAnEarlierVersionHoldingTheContentHashIsStillUsed() throws Exception {
        // what the version before write versions wrote: the SHA-256 in a v1 record (a forged one shows it is read)
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("snapshots/latest.json", large('a'), Precondition.NONE);
        String recorded = Files.readString(record("snapshots/latest.json"));
        String[] fields = recorded.split("\t");
        String earlier = "e".repeat(64);
        Files.writeString(record("snapshots/latest.json"),
                String.join("\t", "v1", fields[1], fields[2], fields[3], earlier));
        FileSystemStateStore.forgetCachedVersions();

        FileSystemStateStore next = new FileSystemStateStore(dir);
        assertThat(next.version("snapshots/latest.json")).contains(earlier);
        String v = next.put("snapshots/latest.json", large('b'), Precondition.ifMatch(earlier));
        assertThat(Files.readString(record("snapshots/latest.json"))).startsWith("v2\t").endsWith(v);
    }

    @Test
    void aStaleRecordMatchingTheFilesIdentityIsNotUsedWhenTheBytesDoNotHaveItsChecksum() throws Exception {
        // A file with the recorded identity but other bytes: what a reused inode of the same size and time stamp
        // would look like after a crash or another program's write, made here by an in-place edit that restores
        // the modification time. The recorded version must not be taken: an IF_MATCH on it would lose the edit.
        String v = putLargeThenEditInPlaceKeepingItsIdentity();
        Path file = dir.resolve("snapshots/latest.json");

        FileSystemStateStore next = new FileSystemStateStore(dir);
        assertThat(next.version("snapshots/latest.json")).contains(Hashing.sha256Hex(large('z')));
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).get("snapshots/latest.json").orElseThrow().version())
                .isEqualTo(Hashing.sha256Hex(large('z')));
        FileSystemStateStore.forgetCachedVersions();
        assertThatThrownBy(() -> new FileSystemStateStore(dir).put("snapshots/latest.json", large('c'),
                Precondition.ifMatch(v))).isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(large('z'));
    }

    @Test
    void aRewriteOfTheSameLargeBytesGetsANewVersionSoAnIfMatchOnTheOldOneFails() {
        // a write version names the write, as Blob Storage's ETag and GCS's generation do: an if-match across a
        // rewrite fails (the writer re-reads and retries) even when the bytes are the same
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v1 = store.put("findings/history.json", large('a'), Precondition.NONE);
        String v2 = store.put("findings/history.json", large('a'), Precondition.ifMatch(v1));
        assertThat(v2).isNotEqualTo(v1);
        assertThatThrownBy(() -> store.put("findings/history.json", large('b'), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class);
        String v3 = store.group(() -> store.put("findings/history.json", large('b'), Precondition.ifMatch(v2)));
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).get("findings/history.json").orElseThrow().version()).isEqualTo(v3);
    }

    @Test
    void aFileChangedBehindTheStoresBackHasANewVersionAndFailsIfMatchOnTheOldOne() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        String v1 = store.put("snapshots/latest.json", large('a'), Precondition.NONE);
        store.version("snapshots/latest.json"); // cached in this JVM too

        // replaced by another program (a new file renamed over it), same size: the record describes the old file
        Path other = dir.resolve("elsewhere.json");
        Files.write(other, large('b'));
        Files.move(other, dir.resolve("snapshots/latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(store.version("snapshots/latest.json")).contains(Hashing.sha256Hex(large('b')));
        FileSystemStateStore.forgetCachedVersions();
        assertThat(new FileSystemStateStore(dir).version("snapshots/latest.json"))
                .contains(Hashing.sha256Hex(large('b')));
        assertThatThrownBy(() -> store.put("snapshots/latest.json", large('c'), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class);

        // edited in place (same file, other size)
        String v2 = store.put("snapshots/latest.json", large('c'), Precondition.NONE);
        Files.write(dir.resolve("snapshots/latest.json"), utf8("{}"));
        assertThat(store.version("snapshots/latest.json")).contains(Hashing.sha256Hex("{}"));
        assertThatThrownBy(() -> store.put("snapshots/latest.json", large('e'), Precondition.ifMatch(v2)))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void smallObjectsGetNoRecordAndADeletedOrShrunkObjectLosesIt() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("snapshots/updates/u.json", utf8("{}"), Precondition.NONE);
        assertThat(record("snapshots/updates/u.json")).doesNotExist();
        store.put("findings/latest.json", large('a'), Precondition.NONE);
        store.put("findings/latest.json", utf8("{}"), Precondition.NONE);
        assertThat(record("findings/latest.json")).doesNotExist();
        store.put("snapshots/latest.json", large('a'), Precondition.NONE);
        store.delete("snapshots/latest.json");
        assertThat(record("snapshots/latest.json")).doesNotExist();
    }

    @Test
    void twoThreadsAndTwoProcessesIncrementingWithCasLoseNoUpdate() throws Exception {
        incrementFromTwoThreadsAndTwoProcesses("counter", 150, "counter.txt");
    }

    @Test
    void twoThreadsAndTwoProcessesIncrementingALargeObjectWithCasLoseNoUpdate() throws Exception {
        // a large object has a write version: it crosses processes through the record beside it
        incrementFromTwoThreadsAndTwoProcesses("large-counter", 60, ConcurrentWriterMain.LARGE_COUNTER);
        assertThat(Files.readString(record(ConcurrentWriterMain.LARGE_COUNTER))).startsWith("v2\t");
    }

    private void incrementFromTwoThreadsAndTwoProcesses(String mode, int perWriter, String key) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(javaMain(mode, perWriter, "proc" + p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(pool.submit(() -> {
                FileSystemStateStore store = new FileSystemStateStore(dir);
                for (int i = 0; i < perWriter; i++) {
                    ConcurrentWriterMain.increment(store, key);
                }
            }));
        }
        for (Future<?> f : threads) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (Process p : processes) {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        }

        String value = new String(new FileSystemStateStore(dir).get(key).orElseThrow().data(),
                StandardCharsets.UTF_8);
        assertThat(Integer.parseInt(value.trim())).isEqualTo(4 * perWriter);
    }

    // ------------------------------------------------------------------------------------------------ write groups

    @Test
    void aGroupsWritesAreReadBackByItsThreadAndSeenByOtherReadersOnlyWhenItEnds() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.put("plans/old.json", utf8("old"), Precondition.NONE);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            String version = store.group(() -> {
                String v = store.put("plans/a.json", utf8("a"), Precondition.IF_ABSENT);
                store.put("updates/u.json", utf8("u"), Precondition.IF_ABSENT);

                assertThat(new String(store.get("plans/a.json").orElseThrow().data(), StandardCharsets.UTF_8))
                        .isEqualTo("a");
                assertThat(store.version("plans/a.json")).contains(v);
                assertThat(store.list("plans/")).containsExactly("plans/a.json", "plans/old.json");
                assertThat(store.list("updates/")).containsExactly("updates/u.json");
                FileSystemStateStore reader = new FileSystemStateStore(dir);
                try {
                    assertThat(other.submit(() -> reader.get("plans/a.json")).get()).as("not written yet").isEmpty();
                    assertThat(other.submit(() -> reader.list("plans/")).get()).containsExactly("plans/old.json");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return v;
            });

            FileSystemStateStore.forgetCachedVersions();
            FileSystemStateStore reader = new FileSystemStateStore(dir);
            assertThat(other.submit(() -> reader.get("plans/a.json").orElseThrow().version()).get())
                    .isEqualTo(version).isEqualTo(Hashing.sha256Hex(utf8("a")));
            assertThat(other.submit(() -> reader.list("")).get())
                    .containsExactly("plans/a.json", "plans/old.json", "updates/u.json");
        } finally {
            other.shutdownNow();
        }
        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(FileSystemStateStore.TEMP_PREFIX));
        }
    }

    @Test
    void preconditionsInAGroupSeeItsOwnWritesAndAKeyWrittenTwiceKeepsItsLastBytes() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        store.group(() -> {
            String v1 = store.put("log.txt", utf8("1"), Precondition.IF_ABSENT);
            assertThatThrownBy(() -> store.put("log.txt", utf8("x"), Precondition.IF_ABSENT))
                    .isInstanceOf(PreconditionFailedException.class);
            String v2 = store.put("log.txt", utf8("1\n2"), Precondition.ifMatch(v1));
            assertThatThrownBy(() -> store.put("log.txt", utf8("x"), Precondition.ifMatch(v1)))
                    .as("a stale version").isInstanceOf(PreconditionFailedException.class);
            return v2;
        });
        assertThat(new String(store.get("log.txt").orElseThrow().data(), StandardCharsets.UTF_8)).isEqualTo("1\n2");
    }

    @Test
    void aGroupThatThrowsKeepsWhatItWroteAndADeleteWritesThePendingWritesFirst() {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        assertThatThrownBy(() -> store.group(() -> {
            store.put("audit/record.json", utf8("what happened"), Precondition.IF_ABSENT);
            throw new IllegalStateException("dispatch failed");
        })).hasMessage("dispatch failed");
        assertThat(store.get("audit/record.json")).as("written as without a group").isPresent();

        store.group(() -> {
            store.put("updates/u1.json", utf8("u1"), Precondition.IF_ABSENT);
            store.delete("updates/u1.json");
            return null;
        });
        assertThat(store.get("updates/u1.json")).as("the write came before the delete").isEmpty();
    }

    @Test
    void anotherWriterWaitsForTheGroupSoItsPreconditionsStillHoldWhenItIsWritten() throws Exception {
        FileSystemStateStore store = new FileSystemStateStore(dir);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> competing = store.group(() -> {
                store.put("claims/e1.json", utf8("mine"), Precondition.IF_ABSENT);
                Future<?> f = other.submit(() -> new FileSystemStateStore(dir).put("claims/e1.json", utf8("theirs"),
                        Precondition.IF_ABSENT));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertThat(f).as("blocked on the group's lock").isNotDone();
                return f;
            });
            assertThatThrownBy(() -> competing.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PreconditionFailedException.class);
            assertThat(new String(store.get("claims/e1.json").orElseThrow().data(), StandardCharsets.UTF_8))
                    .isEqualTo("mine");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWriterKilledWhileWritingGroupsLeavesWholeObjectsAndEveryClaimedGroupComplete() throws Exception {
        Process writer = javaMain("group", 2_000, "w");
        try {
            // let it write some groups, then kill -9 it somewhere inside one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (new FileSystemStateStore(dir).list("claims/").size() < 30 && System.nanoTime() < deadline) {
                if (!writer.isAlive()) {
                    throw new AssertionError("the writer stopped: " + new String(writer.getErrorStream().readAllBytes()));
                }
                Thread.sleep(20);
            }
            Thread.sleep(37);
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        FileSystemStateStore.forgetCachedVersions();
        FileSystemStateStore next = new FileSystemStateStore(dir);
        List<String> claims = next.list("claims/");
        assertThat(claims).hasSizeGreaterThanOrEqualTo(30);
        List<String> log = List.of(new String(next.get("log.txt").orElseThrow().data(), StandardCharsets.UTF_8)
                .split("\n"));
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i)).as("the log is whole and in order").isEqualTo("w-" + i);
        }
        for (String claim : claims) {
            String id = claim.substring("claims/".length(), claim.length() - ".json".length());
            assertThat(log).as("a claimed group's log line").contains(id);
            assertThat(next.get("data/" + id + ".json")).as("a claimed group's object").isPresent();
        }
        for (String data : next.list("data/")) {
            String body = new String(next.get(data).orElseThrow().data(), StandardCharsets.UTF_8);
            assertThat(body).as(data + " is whole").startsWith("{\"i\":").endsWith("\"}").hasSizeGreaterThan(4096);
        }
        assertThat(log.size()).as("at most the group being written is missing its claim")
                .isBetween(claims.size(), claims.size() + 1);
        // the next run goes on where it stopped
        ConcurrentWriterMain.writeGroup(next, "w", log.size());
        assertThat(next.list("claims/")).contains("claims/w-" + log.size() + ".json");
        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the killed writer's temp files are swept by the next write")
                    .noneMatch(n -> n.startsWith(FileSystemStateStore.TEMP_PREFIX));
        }
    }

    /** Starts {@link ConcurrentWriterMain} in a new JVM on this test's class path. */
    Process javaMain(String mode, int count, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ConcurrentWriterMain.class.getName(), mode, dir.toString(), Integer.toString(count), name)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

}
