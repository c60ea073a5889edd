package io.cloudwarden.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChainTest {
    private static final Actor ALICE = new Actor("chat", "U024BE7LH", "alice", "slack:T0001");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private AuditChain chain() {
        return new AuditChain(new FileSystemStateStore(dir), CLOCK);
    }

    private void appendThree(AuditChain chain) {
        chain.append(ALICE, "remediation.approve", "arn:aws:s3:::acme-logs", "approved",
                ModelJson.mapper().createObjectNode().put("planId", "p-1"));
        chain.append(Actor.SYSTEM, "remediation.apply", "arn:aws:s3:::acme-logs", "applied-verified", null);
        chain.append(Actor.SYSTEM, "scan", "aws/111122223333", "ok",
                ModelJson.mapper().createObjectNode().put("resources", 1200));
    }

    private Path file() {
        return dir.resolve("audit/segments/000000000001.jsonl");
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file()));
    }

    private void write(List<String> lines) throws Exception {
        Files.write(file(), lines, StandardCharsets.UTF_8);
    }

    @Test
    void chainsRecordsFromGenesisWithSequentialSeqs() throws Exception {
        AuditChain chain = chain();
        appendThree(chain);

        List<AuditRecord> records = chain.read();
        assertThat(records).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(records.get(0).prevHash()).isEqualTo(AuditRecord.GENESIS);
        assertThat(records.get(1).prevHash()).isEqualTo(records.get(0).hash());
        assertThat(records.get(2).prevHash()).isEqualTo(records.get(1).hash());
        assertThat(records.get(0).actor()).isEqualTo(ALICE);
        assertThat(lines()).hasSize(3);
        AuditVerification v = chain.verify();
        assertThat(v.status()).isEqualTo(AuditVerification.Status.INTACT);
        assertThat(v.records()).isEqualTo(3);
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void theHashIsSha256OfTheCanonicalJsonWithoutTheHashField() throws Exception {
        AuditRecord r = chain().append(ALICE, "chatops.command", "drift", "ok",
                ModelJson.mapper().createObjectNode().put("b", 2).put("a", 1));
        String canonical = "{\"action\":\"chatops.command\","
                + "\"actor\":{\"id\":\"U024BE7LH\",\"kind\":\"chat\",\"name\":\"alice\",\"via\":\"slack:T0001\"},"
                + "\"details\":{\"a\":1,\"b\":2},\"outcome\":\"ok\",\"prevHash\":\"" + AuditRecord.GENESIS + "\","
                + "\"seq\":1,\"subject\":\"drift\",\"time\":\"2026-11-23T10:00:00Z\"}";

        assertThat(r.hash()).isEqualTo(Hashing.sha256Hex(canonical));
    }

    @Test
    void secretLookingDetailsAreScrubbedBeforeHashingAndStoring() throws Exception {
        ObjectNode details = ModelJson.mapper().createObjectNode();
        details.put("planId", "p-1").put("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
        details.putObject("request").put("Authorization", "Bearer eyJhbGciOi").put("client_secret", "s3cr3t")
                .put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        details.putArray("creds").addObject().put("password", "hunter2");

        AuditRecord r = chain().append(ALICE, "chatops.command", "remediate", "ok", details);

        assertThat(r.details().path("planId").asText()).isEqualTo("p-1");
        assertThat(r.details().path("X-Slack-Signature").asText()).isEqualTo("[redacted]");
        assertThat(r.details().at("/request/Authorization").asText()).isEqualTo("[redacted]");
        assertThat(r.details().at("/request/client_secret").asText()).isEqualTo("[redacted]");
        assertThat(r.details().at("/request/accessKeyId").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(r.details().at("/creds/0/password").asText()).isEqualTo("[redacted]");
        String stored = Files.readString(file());
        assertThat(stored).doesNotContain("hunter2", "s3cr3t", "eyJhbGciOi", "a2114d57b48e");
        assertThat(chain().verify().intact()).isTrue();
    }

    @Test
    void anEditedFieldIsDetectedAtItsRecord() throws Exception {
        appendThree(chain());
        List<String> lines = lines();
        lines.set(1, lines.get(1).replace("applied-verified", "failed"));
        write(lines);

        AuditVerification v = chain().verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).hasValue(2);
        assertThat(v.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.EDITED_RECORD);
            assertThat(p.message()).contains("line 2 of audit/segments/000000000001.jsonl").contains("edited");
        });
    }

    @Test
    void aRecomputedHashAfterAnEditBreaksTheNextLink() throws Exception {
        appendThree(chain());
        List<String> lines = lines();
        ObjectNode second = (ObjectNode) ModelJson.mapper().readTree(lines.get(1));
        second.put("outcome", "failed");
        second.remove("hash");
        second.put("hash", AuditChain.hashOf(second));
        lines.set(1, ModelJson.mapper().writeValueAsString(second));
        write(lines);

        AuditVerification v = chain().verify();
        assertThat(v.firstBrokenSeq()).hasValue(3);
        assertThat(v.problems().get(0).message()).contains("prevHash");
    }

    @Test
    void aDeletedLineIsDetected() throws Exception {
        appendThree(chain());
        List<String> lines = lines();
        lines.remove(1);
        write(lines);

        AuditVerification v = chain().verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).hasValue(3);
        assertThat(v.problems().get(0).message()).contains("line 2").contains("seq 3 where 2 was expected");
    }

    @Test
    void reorderedLinesAreDetected() throws Exception {
        appendThree(chain());
        List<String> lines = lines();
        Collections.swap(lines, 0, 1);
        write(lines);

        AuditVerification v = chain().verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).hasValue(2);
        assertThat(v.problems().get(0).message()).contains("line 1");
    }

    @Test
    void aTruncatedFileIsDetectedAndNotExtended() throws Exception {
        appendThree(chain());
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length - 40));

        AuditVerification v = chain().verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problems().get(0).message()).contains("line 3").contains("not an audit record");
        assertThatThrownBy(() -> chain().append(Actor.SYSTEM, "scan", "x", "ok", null))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("audit/segments/000000000001.jsonl");
    }

    @Test
    void concurrentAppendersNeverForkOrLoseRecords() throws Exception {
        int perWriter = 40;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process proc = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.cloudwarden.engine.state.ConcurrentWriterMain", "audit", dir.toString(),
                Integer.toString(perWriter), "proc").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String name = "thread" + t;
            futures.add(pool.submit(() -> {
                AuditChain chain = new AuditChain(new FileSystemStateStore(dir));
                for (int i = 0; i < perWriter; i++) {
                    chain.append(new Actor("service", name, name, ""), "test.append", name, "ok", null);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(proc.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(new String(proc.getErrorStream().readAllBytes())).isZero();

        AuditChain chain = chain();
        assertThat(chain.verify().intact()).isTrue();
        List<AuditRecord> all = chain.read();
        assertThat(all).hasSize(3 * perWriter);
        assertThat(all.stream().map(r -> r.actor().id()).distinct()).containsExactlyInAnyOrder("proc", "thread0",
                "thread1");
        JsonNode last = ModelJson.mapper().valueToTree(all.get(all.size() - 1));
        assertThat(last.path("seq").asLong()).isEqualTo(3L * perWriter);
    }
}
