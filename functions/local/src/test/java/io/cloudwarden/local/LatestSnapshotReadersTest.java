package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.engine.state.StateRepository.ResourceUpdate;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import io.cloudwarden.model.schema.SnapshotWriter;
import io.cloudwarden.testkit.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check, drift and diff read the latest snapshot as a whole: the last full scan with an event's pending update laid
 * over it, before and after {@code compact} folds it.
 */
class LatestSnapshotReadersTest {
    private static final Instant SCAN = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    Path state;
    Path baseline;

    @BeforeEach
    void aScanThenAnEventThatMadeTheSiteBucketPublic() throws Exception {
        state = dir.resolve("state");
        StateRepository repo = new StateRepository(new FileSystemStateStore(state));
        Snapshot scan = Snapshot.of(SCAN, List.of(Resources.awsBucket("logs", false),
                Resources.awsBucket("site", false)), List.of());
        repo.saveSnapshot(scan);
        repo.saveFindings(List.of(), SCAN);
        baseline = dir.resolve("approved.json");
        Files.write(baseline, SnapshotWriter.toBytes(scan));
        Resource publicSite = Resources.awsBucket("site", true).toBuilder()
                .observedAt(SCAN.plusSeconds(90)).build();
        repo.recordUpdate(ResourceUpdate.present(publicSite, List.of(), "evt-1"));
    }

    @Test
    void checkSeesTheEventsChange() throws Exception {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("check", "--state-dir", state.toString(),
                "--format", "json");

        assertThat(run.err()).isEmpty();
        List<String> publicBuckets = new java.util.ArrayList<>();
        io.cloudwarden.model.ModelJson.mapper().readTree(run.out()).path("findings").forEach(f -> {
            if (f.path("ruleId").asText().equals("storage-no-public-access")) {
                publicBuckets.add(f.path("resource").path("id").asText());
            }
        });
        assertThat(publicBuckets).containsExactly("arn:aws:s3:::site");
    }

    @Test
    void diffOfThePreviousScanAndTheLatestSnapshotShowsTheEventsChange() {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("diff", "@previous", "@latest", "--state-dir",
                state.toString(), "--format", "json", "--exit-code");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).contains("arn:aws:s3:::site").contains("/publicAccess")
                .doesNotContain("arn:aws:s3:::logs");
    }

    @Test
    void driftOfTheLatestSnapshotAgainstTheApprovedOneShowsTheEventsChange() {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("drift", "--baseline", baseline.toString(), "--snapshot",
                "@latest", "--state-dir", state.toString(), "--format", "json");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).contains("arn:aws:s3:::site").contains("/publicAccess");
    }

    @Test
    void compactFoldsTheUpdateIntoTheStoredSnapshot() throws Exception {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("compact", "--state-dir", state.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("folded 1 update(s)").contains("(2 resources)");
        Snapshot stored = SnapshotReader.read(state.resolve("snapshots/latest.json"));
        assertThat(stored.resources()).filteredOn(r -> r.name().equals("site"))
                .singleElement().satisfies(r -> assertThat(r.attributes().path("publicAccess").asBoolean()).isTrue());
        assertThat(Files.list(state.resolve("snapshots/updates"))).isEmpty();
        assertThat(SandboxOptionsTest.cli("check", "--state-dir", state.toString(), "--format", "json").out())
                .contains("arn:aws:s3:::site");
    }
}
