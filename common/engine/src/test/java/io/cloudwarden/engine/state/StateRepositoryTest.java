package io.cloudwarden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.Severity;
import io.cloudwarden.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateRepositoryTest {
    @TempDir
    Path dir;

    private static Snapshot snapshot(String takenAt, boolean versioning) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("publicAccess", false).put("versioning", versioning).put("logging", true).putNull("minTlsVersion");
        a.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
        Resource r = Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("storage.bucket").id("arn:aws:s3:::acme-logs").name("acme-logs").attributes(a)
                .observedAt(Instant.parse(takenAt)).build();
        return Snapshot.of(Instant.parse(takenAt), List.of(r), List.of());
    }

    @Test
    void keepsSnapshotHistoryAndKnowsLatestAndPrevious() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        assertThat(repo.latestSnapshot()).isEmpty();
        assertThat(repo.previousSnapshot()).isEmpty();

        Snapshot first = snapshot("2026-11-23T09:00:00Z", true);
        Snapshot second = snapshot("2026-11-23T09:00:00.500Z", false);
        Snapshot third = snapshot("2026-11-23T10:00:00Z", true);
        repo.saveSnapshot(first);
        assertThat(repo.previousSnapshot()).isEmpty();
        repo.saveSnapshot(second);
        String key = repo.saveSnapshot(third);

        assertThat(key).isEqualTo("snapshots/2026-11-23T10-00-00.000000000Z.json");
        assertThat(repo.latestSnapshot()).contains(third);
        assertThat(repo.previousSnapshot()).contains(second);
        assertThat(repo.store().list("snapshots/")).hasSize(4);
    }

    private static Resource withRaw(String id, String rawValue, Instant at) {
        ObjectNode raw = ModelJson.mapper().createObjectNode();
        raw.putObject("GetBucketPolicy").put("Policy", rawValue);
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("storage.bucket").id(id).name(id.substring(id.lastIndexOf(':') + 1))
                .attributes(snapshot(at.toString(), true).resources().get(0).attributes()).raw(raw).observedAt(at)
                .build();
    }

    @Test
    void aScanReadsTheBaseWithoutRawAndWhatItCarriesOverKeepsItsRaw() {
        Instant t1 = Instant.parse("2026-11-23T09:00:00Z");
        Instant t2 = Instant.parse("2026-11-23T10:00:00Z");
        Instant t3 = Instant.parse("2026-11-23T11:00:00Z");
        new StateRepository(new FileSystemStateStore(dir)).saveSnapshot(Snapshot.of(t1, List.of(
                withRaw("arn:aws:s3:::kept", "kept-evidence", t1), withRaw("arn:aws:s3:::rescanned", "old", t1),
                withRaw("arn:aws:s3:::updated", "base", t1)), List.of()));
        // an event re-read one resource after the scan: its update carries its own raw
        StateRepository events = new StateRepository(new FileSystemStateStore(dir));
        events.recordUpdate(StateRepository.ResourceUpdate.present(
                withRaw("arn:aws:s3:::updated", "from-the-event", t1.plusSeconds(60)), List.of(), "e-1"));

        // the next scan, in a process of its own, re-reads one resource and carries the other two over as they are
        StateRepository scan = new StateRepository(new FileSystemStateStore(dir));
        Resource rescanned = withRaw("arn:aws:s3:::rescanned", "new", t2);
        Map<String, JsonNode> rawHandedToMerge = new java.util.HashMap<>();
        StateRepository.SavedScan saved = scan.saveScan(latest -> {
            latest.orElseThrow().resources().forEach(r -> rawHandedToMerge.put(r.name(), r.raw()));
            List<Resource> merged = new java.util.ArrayList<>(List.of(rescanned));
            latest.orElseThrow().resources().stream().filter(r -> !r.name().equals("rescanned"))
                    .forEach(merged::add);
            return Snapshot.of(t2, merged, List.of());
        });

        assertThat(rawHandedToMerge.get("kept").isEmpty()).as("the base is read without raw").isTrue();
        assertThat(rawHandedToMerge.get("updated").path("GetBucketPolicy").path("Policy").asText())
                .as("a pending update's resource has its own raw").isEqualTo("from-the-event");
        Map<String, String> savedRaw = new java.util.HashMap<>();
        saved.snapshot().resources().forEach(r -> savedRaw.put(r.name(),
                r.raw().path("GetBucketPolicy").path("Policy").asText()));
        assertThat(savedRaw).containsExactlyInAnyOrderEntriesOf(Map.of("kept", "kept-evidence", "rescanned", "new",
                "updated", "from-the-event"));
        Map<String, String> storedRaw = new java.util.HashMap<>();
        new StateRepository(new FileSystemStateStore(dir)).latestSnapshot().orElseThrow().resources()
                .forEach(r -> storedRaw.put(r.name(), r.raw().path("GetBucketPolicy").path("Policy").asText()));
        assertThat(storedRaw).as("what was stored: the carried-over resource kept its evidence").isEqualTo(savedRaw);

        // a third scan that carries everything over keeps it again
        new StateRepository(new FileSystemStateStore(dir)).saveScan(latest -> Snapshot.of(t3,
                latest.orElseThrow().resources(), List.of()));
        assertThat(new StateRepository(new FileSystemStateStore(dir)).latestSnapshot().orElseThrow().resources())
                .extracting(r -> r.raw().path("GetBucketPolicy").path("Policy").asText())
                .containsExactlyInAnyOrder("kept-evidence", "new", "from-the-event");
    }

    @Test
    void findingsRoundTripWithOptionalRemediation() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        ResourceRef ref = new ResourceRef(Cloud.GCP, "proj-1", "global", "storage.bucket",
                "//storage.googleapis.com/acme-assets");
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        Finding f = new Finding(Finding.idFor("storage-no-public-access", ref), "storage-no-public-access",
                "Object storage must not allow anonymous reads", Severity.HIGH, Finding.Status.FAIL, ref,
                "allUsers can read", List.of("CIS GCP 5.1"),
                Optional.of(new RemediationRef("storage.bucket/block-public-access", RemediationRef.Mode.APPROVE)), at);

        repo.saveFindings(List.of(f), at);

        StateRepository.FindingsDocument doc = repo.latestFindings().orElseThrow();
        assertThat(doc.schema()).isEqualTo("cloudwarden/findings/v1");
        assertThat(doc.observedAt()).isEqualTo(at);
        assertThat(doc.findings()).containsExactly(f);
    }

    @Test
    void genericJsonWithVersionsSupportsCasLoops() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        String v1 = repo.putJson("plans/p-1.json", Map.of("status", "planned"), Precondition.IF_ABSENT);

        Versioned<JsonNode> read = repo.getJsonVersioned("plans/p-1.json", JsonNode.class).orElseThrow();
        assertThat(read.version()).isEqualTo(v1);
        assertThat(read.value().path("status").asText()).isEqualTo("planned");
        repo.putJson("plans/p-1.json", Map.of("status", "applied"), Precondition.ifMatch(read.version()));
        assertThatThrownBy(() -> repo.putJson("plans/p-1.json", Map.of("status", "x"), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(repo.getJson("plans/p-1.json", JsonNode.class).orElseThrow().path("status").asText())
                .isEqualTo("applied");
        assertThat(repo.getJson("plans/none.json", JsonNode.class)).isEmpty();
    }

    @Test
    void claimOnceIsTrueOnlyForTheFirstClaimAndKeepsTheOriginalRecord() {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        JsonNode first = ModelJson.mapper().createObjectNode().put("by", "run-1");
        JsonNode second = ModelJson.mapper().createObjectNode().put("by", "run-2");

        assertThat(repo.claimOnce("f-1a2b|evt-42", first)).isTrue();
        assertThat(repo.claimOnce("f-1a2b|evt-42", second)).isFalse();
        assertThat(repo.claimOnce("f-1a2b|evt-43", second)).isTrue();

        String key = repo.store().list("idempotency/").get(0);
        assertThat(key).matches("idempotency/[0-9a-f]{64}\\.json");
    }

    @Test
    void aCorruptStoredObjectIsAnErrorNamingTheKeyAndIsNotOverwritten() throws Exception {
        StateRepository repo = new StateRepository(new FileSystemStateStore(dir));
        repo.saveSnapshot(snapshot("2026-11-23T09:00:00Z", true));
        Path latest = dir.resolve("snapshots/latest.json");
        Files.writeString(latest, "{\"schema\": \"cloudwarden/snapshot/v1\", \"takenAt\": ");
        Files.writeString(dir.resolve("findings.json"), "[not json");

        assertThatThrownBy(repo::latestSnapshot)
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("snapshots/latest.json");
        assertThatThrownBy(() -> repo.getJson("findings.json", JsonNode.class))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("findings.json");
        assertThat(Files.readString(latest, StandardCharsets.UTF_8)).endsWith("\"takenAt\": ");
        assertThat(repo.store().list("snapshots/")).contains("snapshots/2026-11-23T09-00-00.000000000Z.json");
    }
}
