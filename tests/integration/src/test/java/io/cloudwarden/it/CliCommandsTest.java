package io.cloudwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.ModelJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline commands over the hand-written three-cloud estate in examples/. */
class CliCommandsTest {
    static final String SNAPSHOT = Path.of("../../examples/snapshot.json").toAbsolutePath().normalize().toString();
    static final String BASELINE = Path.of("../../examples/approved-baseline.json").toAbsolutePath().normalize()
            .toString();

    @TempDir
    Path dir;

    @Test
    void checkReportsTheBuiltInPackFindingsAndFailsOnlyWhenAsked() throws Exception {
        CliRun json = CliRun.of("check", "--snapshot", SNAPSHOT, "--format", "json");
        assertThat(json.code()).isZero();
        JsonNode report = ModelJson.mapper().readTree(json.out());
        List<String> pairs = new ArrayList<>();
        report.get("findings").forEach(f -> pairs.add(f.get("ruleId").asText() + " " + f.at("/resource/id").asText()));
        assertThat(pairs).contains(
                "storage-no-public-access arn:aws:s3:::acme-public-site",
                "storage-no-public-access //storage.googleapis.com/acme-prod-assets",
                "firewall-no-internet-ssh arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001",
                "firewall-no-internet-rdp /subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-web/"
                        + "providers/Microsoft.Network/networkSecurityGroups/nsg-web",
                "kms-rotation-enabled arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(pairs).noneMatch(p -> p.endsWith("arn:aws:s3:::acme-logs") && p.startsWith("storage-no-public"));

        assertThat(CliRun.of("check", "--snapshot", SNAPSHOT, "--fail-on", "high").code()).isEqualTo(1);
        assertThat(CliRun.of("check", "--snapshot", SNAPSHOT, "--fail-on", "critical").code()).isZero();
    }

    /**
     * examples/utilization-snapshot.json: an idle running instance, an overloaded one (in a balanced group), an
     * unbalanced scale set, next to a stopped instance with idle metrics, one whose metrics were not read and a
     * balanced group. Exactly the three utilization rules fire, each on its one resource.
     */
    @Test
    void checkFlagsExactlyTheThreeUtilizationRules() throws Exception {
        String snapshot = Path.of("../../examples/utilization-snapshot.json").toAbsolutePath().normalize().toString();
        CliRun run = CliRun.of("check", "--snapshot", snapshot, "--format", "json");
        assertThat(run.code()).as(run.err()).isZero();
        List<String> pairs = new ArrayList<>();
        ModelJson.mapper().readTree(run.out()).get("findings")
                .forEach(f -> pairs.add(f.get("ruleId").asText() + " " + f.get("severity").asText() + " "
                        + f.at("/resource/id").asText()));
        assertThat(pairs).containsExactlyInAnyOrder(
                "instance-idle low arn:aws:ec2:us-east-1:111122223333:instance/i-0idle000000000001",
                "instance-overloaded high //compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/"
                        + "batch-1",
                "group-load-imbalanced medium /subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/"
                        + "rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-web");
    }

    @Test
    void checkWritesSarifAndOcsfThatParse() throws Exception {
        Path sarif = dir.resolve("out.sarif");
        assertThat(CliRun.of("check", "--snapshot", SNAPSHOT, "--format", "sarif", "--out", sarif.toString()).code())
                .isZero();
        JsonNode s = ModelJson.mapper().readTree(sarif.toFile());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        assertThat(s.at("/runs/0/results").size()).isGreaterThan(10);
        JsonNode ocsf = ModelJson.mapper().readTree(CliRun.of("check", "--snapshot", SNAPSHOT, "--format", "ocsf")
                .out());
        assertThat(ocsf.get(0).get("class_uid").asInt()).isEqualTo(2003);
    }

    @Test
    void driftFindsExactlyThePlantedDifferences() throws Exception {
        CliRun run = CliRun.of("drift", "--baseline", BASELINE, "--snapshot", SNAPSHOT, "--format", "json");
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        JsonNode report = ModelJson.mapper().readTree(run.out());
        List<String> drift = new ArrayList<>();
        report.get("drift").forEach(d -> drift.add(d.get("kind").asText() + " " + d.at("/resource/id").asText()));
        assertThat(drift).containsExactlyInAnyOrder(
                "unmanaged /subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-web/providers/"
                        + "Microsoft.Storage/storageAccounts/acmecdn",
                "missing arn:aws:iam::111122223333:user/bob",
                "changed arn:aws:s3:::acme-public-site",
                "changed arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001",
                "changed arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        JsonNode bucket = null;
        for (JsonNode d : report.get("drift")) {
            if (d.at("/resource/id").asText().equals("arn:aws:s3:::acme-public-site")) {
                bucket = d;
            }
        }
        assertThat(bucket.at("/patch/0/op").asText()).isEqualTo("replace");
        assertThat(bucket.at("/patch/0/path").asText()).isEqualTo("/publicAccess");
        assertThat(bucket.at("/patch/0/value").asBoolean()).isTrue();

        assertThat(CliRun.of("drift", "--baseline", SNAPSHOT, "--snapshot", SNAPSHOT).code()).isZero();
    }

    @Test
    void anIgnoreFileLeavesOutWhatItNames() throws Exception {
        Path ignore = Files.writeString(dir.resolve(".cloudwardenignore"),
                "azure:storage.bucket:*acmecdn\nattribute: kms.key /rotation*\n");
        JsonNode report = ModelJson.mapper().readTree(CliRun.of("drift", "--baseline", BASELINE, "--snapshot",
                SNAPSHOT, "--ignore", ignore.toString(), "--format", "json").out());
        assertThat(report.get("drift").toString()).doesNotContain("acmecdn").doesNotContain("kms");
    }

    @Test
    void diffShowsChangesAndExitsOneOnlyWithExitCode() {
        CliRun plain = CliRun.of("diff", BASELINE, SNAPSHOT);
        assertThat(plain.code()).isZero();
        assertThat(plain.out()).contains("added").contains("removed").contains("/publicAccess: false → true");
        assertThat(CliRun.of("diff", BASELINE, SNAPSHOT, "--exit-code").code()).isEqualTo(1);
        assertThat(CliRun.of("diff", SNAPSHOT, SNAPSHOT, "--exit-code").code()).isZero();
    }

    @Test
    void auditVerifyPassesOnAnIntactChainAndNamesTheFirstTamperedRecord() throws Exception {
        AuditChain chain = new AuditChain(new FileSystemStateStore(dir));
        for (int i = 0; i < 3; i++) {
            chain.append(Actor.SYSTEM, "scan", "scan:" + i, "complete", ModelJson.mapper().createObjectNode());
        }
        CliRun ok = CliRun.of("audit", "verify", "--state-dir", dir.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("3 records");

        Path log = dir.resolve(AuditChain.segmentKey(1));
        Files.writeString(log, Files.readString(log).replace("scan:1", "scan:9"));
        CliRun broken = CliRun.of("audit", "verify", "--state-dir", dir.toString());
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).contains("edited record: record seq 2").doesNotContain("\tat ");
    }

    @Test
    void auditVerifyOnAStateWithoutATrailIsNotIntactAndPointsAtTheSandboxTrail() throws Exception {
        CliRun none = CliRun.of("audit", "verify", "--state-dir", dir.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no audit trail in").contains("nothing was verified");
        assertThat(none.out()).doesNotContain("intact");

        new AuditChain(new FileSystemStateStore(dir.resolve("sandbox"))).append(Actor.SYSTEM, "remediation.apply",
                "arn:aws:s3:::acme-logs", "applied-verified", null);
        CliRun sandboxed = CliRun.of("audit", "verify", "--state-dir", dir.toString());
        assertThat(sandboxed.code()).isEqualTo(2);
        assertThat(sandboxed.err()).contains("the sandbox's trail is in " + dir.resolve("sandbox"));
        assertThat(CliRun.of("audit", "verify", "--state-dir", dir.resolve("sandbox").toString()).code()).isZero();
    }

    @Test
    void auditDigestsSignedWithALocalKeyVerifyOnlyUnderThatKey() throws Exception {
        Path key = dir.resolve("keys/audit.pem");
        assertThat(CliRun.of("audit", "keygen", key.toString()).code()).isZero();
        Path other = dir.resolve("keys/other.pem");
        assertThat(CliRun.of("audit", "keygen", other.toString()).code()).isZero();
        Path state = dir.resolve("state");
        AuditChain chain = new AuditChain(new FileSystemStateStore(state), java.time.Clock.systemUTC(),
                AuditChain.Settings.DEFAULT.withSegmentRecords(2)
                        .withSigner(io.cloudwarden.engine.audit.Ed25519KeyFile.load(key)));
        for (int i = 0; i < 5; i++) {
            chain.append(Actor.SYSTEM, "scan", "scan:" + i, "complete", null);
        }

        CliRun ok = CliRun.of("audit", "verify", "--state-dir", state.toString(), "--key", key + ".pub");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("5 records in 3 segments, 2 signed digests verified");
        CliRun foreign = CliRun.of("audit", "verify", "--state-dir", state.toString(), "--key", other + ".pub");
        assertThat(foreign.code()).isEqualTo(1);
        assertThat(foreign.err()).contains("foreign key: the digest of segment 1 is signed by key");
        assertThat(CliRun.of("audit", "verify", "--state-dir", state.toString(), "--segment", "2").code()).isZero();
    }

    @Test
    void auditExportStreamsRecordsSinceATimeAsJsonLinesOrOcsfApiActivity() throws Exception {
        AuditChain chain = new AuditChain(new FileSystemStateStore(dir));
        chain.append(new Actor("chat", "U024BE7LH", "alice", "slack:T0001"), "remediation.approve",
                "arn:aws:s3:::acme-logs", "approved", null);
        chain.append(Actor.SYSTEM, "remediation.apply", "arn:aws:s3:::acme-logs", "failed", null);

        CliRun jsonl = CliRun.of("audit", "export", "--state-dir", dir.toString(), "--since", "2000-01-01T00:00:00Z");
        assertThat(jsonl.code()).isZero();
        assertThat(jsonl.out().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
        assertThat(CliRun.of("audit", "export", "--state-dir", dir.toString(), "--since", "2999-01-01T00:00:00Z")
                .out()).isEmpty();

        CliRun ocsf = CliRun.of("audit", "export", "--state-dir", dir.toString(), "--since", "2000-01-01T00:00:00Z",
                "--format", "ocsf");
        List<JsonNode> events = ocsf.out().lines().map(l -> {
            try {
                return ModelJson.mapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(events).hasSize(2);
        JsonNode approve = events.get(0);
        assertThat(approve.path("class_uid").asInt()).isEqualTo(6003);
        assertThat(approve.path("type_uid").asInt()).isEqualTo(600303);
        assertThat(approve.path("status_id").asInt()).isEqualTo(1);
        assertThat(approve.at("/actor/user/name").asText()).isEqualTo("alice");
        assertThat(approve.at("/api/operation").asText()).isEqualTo("remediation.approve");
        assertThat(approve.at("/resources/0/uid").asText()).isEqualTo("arn:aws:s3:::acme-logs");
        assertThat(approve.at("/metadata/version").asText()).isEqualTo("1.3.0");
        assertThat(approve.at("/metadata/sequence").asLong()).isEqualTo(1);
        assertThat(events.get(1).path("status_id").asInt()).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : List.of("scan", "check", "drift", "diff", "event", "remediate", "serve", "audit")) {
            CliRun run = CliRun.of(c, "--help");
            assertThat(run.code()).as(c).isZero();
            assertThat(run.out()).as(c).contains("Usage: cloudwarden " + c);
        }
    }
}
