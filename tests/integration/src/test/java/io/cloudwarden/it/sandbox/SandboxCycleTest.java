package io.cloudwarden.it.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.local.Main;
import io.cloudwarden.model.ModelJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, in process: the sandbox estate (recorded AWS, Azure and GCP responses served by the embedded
 * WireMock to the real SDK clients) goes through events, scan, drift against the Terraform states, policy check and
 * remediation — and a remediation applied in one run shows up in the next scan, as it would across processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxCycleTest {
    static final String SUB = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-prod/providers/";
    static final String LOGS_ACCOUNT = SUB + "Microsoft.Storage/storageAccounts/cwlogsprod";
    static final String DATA_ACCOUNT = SUB + "Microsoft.Storage/storageAccounts/cwdataprod";
    static final String SG_WEB = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001";
    static final String KMS_APP = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String GCP_SSH = "//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere";
    static final String GCP_BUCKET = "//storage.googleapis.com/cw-demo-public-assets";
    static final String GCP_KEY = "//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/104857392018475629301/"
            + "keys/3f1c2a9e8b7d6c5f4e3d2c1b0a998877";
    static final String CI = "arn:aws:iam::111122223333:user/automation/ci-deployer";
    static final String AWS_WEB_1 = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234def567890";
    static final String TENANT = "/tenants/7d3f2a1b-4c5e-4f60-8a9b-0c1d2e3f4a5b/";
    static final String BOB_ENTRA = TENANT + "users/a1b2c3d4-1111-4a2b-8c3d-222233334444";
    static final String DEPLOYER_APP = TENANT + "applications/1a2b3c4d-9999-4e5f-8a6b-7c8d9e0f1a2b/credentials/";
    static final String DEPLOYER_SECRET = DEPLOYER_APP + "8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60";
    static final String GCP_BATCH_2 = "//compute.googleapis.com/projects/cw-demo-prod/zones/europe-west1-b/instances/"
            + "batch-2";

    static final String NSG_WEB = SUB + "Microsoft.Network/networkSecurityGroups/web-nsg";
    // the patch estate (examples/sandbox/tools/patch_estate.py)
    static final String AWS_INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/";
    static final String AWS_APP_1 = AWS_INSTANCE + "i-0a11aa00000000001";
    /** Its install runs, but the re-read still reports a critical patch missing: the rollout halts there. */
    static final String AWS_APP_2 = AWS_INSTANCE + "i-0a11aa00000000002";
    static final String AWS_LEGACY_1 = AWS_INSTANCE + "i-0a11aa00000000004";
    static final String AZURE_VM = SUB + "Microsoft.Compute/virtualMachines/";
    static final String GCP_ZONE_A = "//compute.googleapis.com/projects/cw-demo-prod/zones/us-central1-a/instances/";
    static final String API_VMSS = SUB + "Microsoft.Compute/virtualMachineScaleSets/api-vmss";
    // the AWS Auto Scaling group of the load data (examples/sandbox/tools/record_load.py): balanced, no finding
    static final String AWS_WORKERS = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:"
            + "7c2e4a91-3b5d-4f60-8e1a-9d0c2b4f6a81:autoScalingGroupName/cw-sandbox-workers";
    static final List<String> AWS_WORKER_IDS = List.of(AWS_INSTANCE + "i-0c3a5b7d9e1f20001",
            AWS_INSTANCE + "i-0c3a5b7d9e1f20002", AWS_INSTANCE + "i-0c3a5b7d9e1f20003");

    /** One planned fix: the finding (rule on resource) and the action its rule names. */
    static final String PATCH = "compute.instance/install-patches";

    record Fix(String rule, String action, String resource) {
        String finding() {
            return rule + " " + resource;
        }

        String change() {
            return action + " " + resource;
        }
    }

    /**
     * Every fix the built-in rules plan on the sandbox, one per finding: one action id per intent on all three clouds,
     * so the same rule plans the fix wherever the resource lives. A resource with several findings of one intent (the
     * GCP firewall open for SSH, databases and all ports; the GCP key both old and unused) gets one plan per finding.
     */
    static final List<Fix> FIXES = List.of(
            new Fix("key-rotated-90-days", "identity.key/deactivate", "AKIAIOSFODNN7ALICE01"),
            new Fix("kms-rotation-enabled", "kms.key/enable-rotation", KMS_APP),
            new Fix("firewall-no-internet-ssh", "network.firewall/revoke-internet-ingress", SG_WEB),
            new Fix("storage-no-public-access", "storage.bucket/block-public-access", "arn:aws:s3:::cw-legacy-acl"),
            new Fix("storage-encryption-enabled", "storage.bucket/enable-encryption", "arn:aws:s3:::cw-legacy-acl"),
            new Fix("storage-no-public-access", "storage.bucket/block-public-access", "arn:aws:s3:::cw-public-assets"),
            new Fix("firewall-no-internet-ssh", "network.firewall/revoke-internet-ingress", NSG_WEB),
            new Fix("storage-no-public-access", "storage.bucket/block-public-access", LOGS_ACCOUNT),
            new Fix("storage-min-tls-1-2", "storage.bucket/enforce-tls", LOGS_ACCOUNT),
            new Fix("key-rotated-90-days", "identity.key/deactivate", GCP_KEY),
            new Fix("key-unused-90-days", "identity.key/deactivate", GCP_KEY),
            new Fix("firewall-no-internet-ssh", "network.firewall/revoke-internet-ingress", GCP_SSH),
            new Fix("firewall-no-internet-database", "network.firewall/revoke-internet-ingress", GCP_SSH),
            new Fix("firewall-no-internet-all-ports", "network.firewall/revoke-internet-ingress", GCP_SSH),
            new Fix("storage-no-public-access", "storage.bucket/block-public-access", GCP_BUCKET),
            new Fix("key-rotated-90-days", "identity.key/deactivate", DEPLOYER_SECRET),
            new Fix("key-unused-90-days", "identity.key/deactivate", DEPLOYER_SECRET),
            new Fix("instance-patch-critical-missing", PATCH, AWS_APP_1),
            new Fix("instance-patch-critical-missing", PATCH, AWS_APP_2),
            new Fix("instance-patch-critical-missing", PATCH, AWS_WEB_1),
            new Fix("instance-patch-critical-missing", PATCH, AZURE_VM + "app-01"),
            new Fix("instance-patch-critical-missing", PATCH, AZURE_VM + "web-01"),
            new Fix("instance-patch-critical-missing", PATCH, GCP_ZONE_A + "api-1"),
            new Fix("instance-patch-critical-missing", PATCH, GCP_ZONE_A + "web-1"));

    static final String PATCH_ROLLOUT_HALT = "HALTED at " + AWS_APP_2 + ": verify-failed: the re-read resource does"
            + " not show the planned change: patch.missingCritical is 1, planned 0";

    /**
     * The install-patches rollout (7 instances, sandbox waves 1, 5, 1 by resource id) halts at AWS app-2, the last
     * of wave 2: AWS web-1, alone in wave 3, is not applied.
     */
    static final List<String> NOT_FIXED = List.of("instance-patch-critical-missing " + AWS_APP_2,
            "instance-patch-critical-missing " + AWS_WEB_1);

    /** The findings remediation resolves: every planned one but those the halted rollout left. */
    static final List<String> FIXED = FIXES.stream().map(Fix::finding).filter(f -> !NOT_FIXED.contains(f)).toList();

    /** The distinct changes applied (several findings of one resource and intent are fixed by one change). */
    static final List<String> CHANGES = FIXES.stream().map(Fix::change).distinct().toList();

    static final List<String> FINDINGS = List.of(
            "firewall-no-internet-all-ports " + GCP_SSH,
            "firewall-no-internet-database " + GCP_SSH,
            "firewall-no-internet-ssh " + GCP_SSH,
            "firewall-no-internet-ssh " + SG_WEB,
            "firewall-no-internet-ssh " + NSG_WEB,
            "user-admin-mfa " + CI,
            "user-mfa-enabled " + CI,
            "user-no-admin " + CI,
            "user-no-admin arn:aws:iam::111122223333:user/alice",
            "user-no-admin //iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/104857392018475629301",
            "instance-disk-encryption " + AWS_WEB_1,
            "instance-disk-encryption " + GCP_BATCH_2,
            "instance-metadata-hardened " + AWS_WEB_1,
            "instance-metadata-hardened " + GCP_BATCH_2,
            "instance-no-public-ip " + AWS_WEB_1,
            "instance-no-public-ip " + SUB + "Microsoft.Compute/virtualMachines/web-01",
            "instance-no-public-ip //compute.googleapis.com/projects/cw-demo-prod/zones/us-central1-a/instances/web-1",
            // patch state: AWS Systems Manager, Azure Update Manager, GCP OS Config (stopped instances not judged)
            "instance-patch-critical-missing " + AWS_APP_1,
            "instance-patch-critical-missing " + AWS_APP_2,
            "instance-patch-critical-missing " + AWS_WEB_1,
            "instance-patch-critical-missing " + AZURE_VM + "app-01",
            "instance-patch-critical-missing " + AZURE_VM + "web-01",
            "instance-patch-critical-missing " + GCP_ZONE_A + "api-1",
            "instance-patch-critical-missing " + GCP_ZONE_A + "web-1",
            "instance-patch-unmanaged " + AWS_LEGACY_1,
            "instance-patch-assessment-stale " + AZURE_VM + "app-02",
            "storage-encryption-enabled arn:aws:s3:::cw-legacy-acl",
            "storage-no-public-access arn:aws:s3:::cw-legacy-acl",
            "storage-no-public-access arn:aws:s3:::cw-public-assets",
            "storage-no-public-access " + LOGS_ACCOUNT,
            "storage-no-public-access " + GCP_BUCKET,
            "storage-access-logging arn:aws:s3:::cw-legacy-acl",
            "storage-access-logging arn:aws:s3:::cw-public-assets",
            "storage-access-logging " + DATA_ACCOUNT,
            "storage-access-logging " + GCP_BUCKET,
            "storage-versioning-enabled arn:aws:s3:::cw-legacy-acl",
            "storage-versioning-enabled arn:aws:s3:::cw-public-assets",
            "storage-versioning-enabled " + DATA_ACCOUNT,
            "storage-versioning-enabled " + GCP_BUCKET,
            "storage-customer-managed-key arn:aws:s3:::cw-public-assets",
            "storage-customer-managed-key " + LOGS_ACCOUNT,
            "storage-customer-managed-key " + GCP_BUCKET,
            "storage-min-tls-1-2 " + LOGS_ACCOUNT,
            "key-rotated-90-days AKIAIOSFODNN7ALICE01",
            "key-rotated-90-days " + GCP_KEY,
            "key-unused-90-days " + GCP_KEY,
            "key-inactive-lingering AKIAI44QH8DHBCIDEPL1",
            "kms-rotation-enabled " + KMS_APP,
            // load (issue 15, examples/sandbox/tools/record_load.py): one of each utilization rule
            "instance-idle " + SUB + "Microsoft.Compute/virtualMachines/web-01",
            "instance-overloaded //compute.googleapis.com/projects/cw-demo-prod/zones/us-central1-a/instances/web-1",
            "group-load-imbalanced " + API_VMSS,
            "kms-key-disabled arn:aws:kms:us-east-1:111122223333:key/5f8e7d6c-5b4a-4392-8170-fedcba987654",
            "kms-key-disabled " + SUB + "Microsoft.KeyVault/vaults/kv-cw-prod/keys/legacy-signing",
            "kms-key-disabled //cloudkms.googleapis.com/projects/cw-demo-prod/locations/us-central1/keyRings/compute/"
                    + "cryptoKeys/disks",
            // Entra ID, read through Microsoft Graph
            "user-admin-mfa " + BOB_ENTRA,
            "user-console-mfa " + BOB_ENTRA,
            "user-mfa-enabled " + BOB_ENTRA,
            "user-no-admin " + BOB_ENTRA,
            "user-no-admin " + TENANT + "users/3f6c1a2e-8b4d-4e7a-9c10-5d2e8f7a6b41",
            "user-no-admin " + TENANT + "servicePrincipals/e1f2a3b4-5555-4e6f-8a7b-ccccddddeeee",
            // dave.old (users/d4e5f6a7-...) has not signed in since 2025, but his account is disabled: not judged
            "key-rotated-90-days " + DEPLOYER_APP + "8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60",
            "key-unused-90-days " + DEPLOYER_APP + "8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60",
            "key-inactive-lingering " + DEPLOYER_APP + "4b7d9e1f-2a3c-4e5f-8a9b-0c1d2e3f4a5b",
            "key-inactive-lingering " + TENANT
                    + "applications/2b3c4d5e-aaaa-4f60-9b7c-8d9e0f1a2b3c/credentials/5c6d7e8f-cccc-4b82-9d9e-0f1a2b3c4d5e");

    @TempDir
    static Path state;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return ModelJson.mapper().readTree(out);
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state-dir");
        all.add(state.toString());
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static Set<String> pairs(JsonNode findingsReport) {
        Set<String> s = new LinkedHashSet<>();
        findingsReport.path("findings").forEach(f -> s.add(f.path("ruleId").asText() + " "
                + f.path("resource").path("id").asText()));
        return s;
    }

    @Test
    @Order(1)
    void theCycleReportsDriftWithActorsFindingsBySeverityAndThePlannedFixes() {
        Run run = cli("sandbox");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("A recorded 3-cloud estate (aws, azure, gcp)")
                .contains("Cloud events handled (6)")
                .contains("Scan: 54 resources")
                .contains("4 changed, 6 unmanaged, 1 missing; 35 managed, 31 unchanged, 7 not compared, 10 ignored")
                .contains("jordan (user)", "dana@example.com (user)", "ada@contoso.example (user")
                .contains("64 findings (3 critical, 22 high, 29 medium, 7 low, 3 info) in 54 resources")
                .contains("Remediation plan (dry run: nothing was changed)")
                .contains("[planned] storage.bucket/block-public-access on arn:aws:s3:::cw-public-assets")
                .contains("publicAccess: true → false")
                .doesNotContain("sandbox-dummy-secret");
        // several rules asking for the same fix of one resource make one plan
        assertThat(run.out().split("\\[planned]", -1)).hasSize(CHANGES.size() + 1);
        assertThat(run.out()).doesNotContain("no remediator")
                .contains("[planned] identity.key/deactivate on " + DEPLOYER_SECRET);
        // a dry run shows the waves each rollout would cut, by resource id
        assertThat(run.out()).contains("Rollouts in verified waves (dry run)")
                .contains("Waves of " + PATCH + " (7 resources, 3 waves):")
                .contains("wave 1 (1): " + GCP_ZONE_A + "api-1")
                .contains("wave 2 (5): " + GCP_ZONE_A + "web-1, " + AZURE_VM + "app-01, " + AZURE_VM + "web-01, "
                        + AWS_APP_1 + ", " + AWS_APP_2)
                .contains("wave 3 (1): " + AWS_WEB_1);
        assertThat(state.resolve("sandbox/scenarios.json")).exists();
        assertThat(state.resolve("snapshots")).as("real state is never touched").doesNotExist();
    }

    @Test
    @Order(2)
    void driftAgainstTheTerraformStatesIsExactAndNamesWhoChangedWhat() throws Exception {
        Run run = cli("drift", "--sandbox", "--format", "json");

        assertThat(run.code()).as(run.err()).isEqualTo(1);
        List<org.assertj.core.groups.Tuple> drift = new ArrayList<>();
        for (JsonNode d : run.json().path("drift")) {
            List<String> paths = new ArrayList<>();
            d.path("patch").forEach(p -> paths.add(p.path("op").asText() + " " + p.path("path").asText()));
            drift.add(tuple(d.path("kind").asText(), d.path("resource").path("id").asText(), paths,
                    d.path("actor").path("name").asText()));
        }
        assertThat(drift).containsExactlyInAnyOrder(
                tuple("unmanaged", "arn:aws:s3:::cw-legacy-acl", List.of(), ""),
                tuple("unmanaged", "//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/118273645509128374655",
                        List.of(), ""),
                tuple("unmanaged", GCP_SSH, List.of(), "dana@example.com"),
                // created by hand in the portal: the Azure state does not declare it (codify imports it)
                tuple("unmanaged", SUB + "Microsoft.KeyVault/vaults/kv-cw-prod/keys/legacy-signing", List.of(), ""),
                // the scale set of the load data, made by hand: not in the Azure state (codify imports it)
                tuple("unmanaged", API_VMSS, List.of(), ""),
                // the Auto Scaling group, made by hand like api-vmss (its three instances are the group's: drift
                // leaves them to it, below, as Terraform never declares a group's instances)
                tuple("unmanaged", AWS_WORKERS, List.of(), ""),
                tuple("missing", "arn:aws:iam::111122223333:user/bob", List.of(), ""),
                tuple("changed", KMS_APP, List.of("replace /rotationEnabled", "replace /rotationPeriodDays"),
                        "PlatformEngineer"),
                tuple("changed", SG_WEB, List.of("add /rules/1/ranges/0", "add /internetIngress/0"),
                        "PlatformEngineer"),
                tuple("changed", "arn:aws:s3:::cw-public-assets", List.of("replace /publicAccess"), "jordan"),
                tuple("changed", LOGS_ACCOUNT, List.of("replace /minTlsVersion"), "ada@contoso.example"));
        JsonNode bucket = find(run.json().path("drift"), "arn:aws:s3:::cw-public-assets");
        assertThat(bucket.at("/patch/0/from").asBoolean()).isFalse();
        assertThat(bucket.at("/patch/0/value").asBoolean()).isTrue();
        assertThat(bucket.at("/actor/via").asText()).isEmpty();
        assertThat(find(run.json().path("drift"), SG_WEB).at("/actor/via").asText()).isEqualTo("jdoe@example.com");
        // the group's members: not compared, each naming its group, with no ignore entry
        List<String> members = new ArrayList<>();
        run.json().path("notCompared").forEach(n -> {
            if (n.path("source").asText().equals("group members")) {
                assertThat(n.path("reason").asText()).contains(AWS_WORKERS);
                members.add(n.path("address").asText().replaceFirst("^aws:compute\\.instance:", ""));
            }
        });
        assertThat(members).containsExactlyInAnyOrderElementsOf(AWS_WORKER_IDS);
        assertThat(run.json().path("notCompared")).hasSize(7);
        assertThat(run.json().path("ignored").asInt()).isEqualTo(10);
    }

    @Test
    @Order(3)
    void theBuiltInRulesFindExactlyTheseDeviations() throws Exception {
        Run run = cli("check", "--sandbox", "--format", "json");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(pairs(run.json())).containsExactlyInAnyOrderElementsOf(FINDINGS);
    }

    @Test
    @Order(4)
    void theAwsAutoScalingGroupCarriesItsCapacityMembersAndUtilizationAndItsMembersNameIt() throws Exception {
        Run scan = cli("scan", "--sandbox", "--out", "-");

        assertThat(scan.code()).as(scan.err()).isZero();
        Map<String, JsonNode> byId = new HashMap<>();
        scan.json().path("resources").forEach(r -> byId.put(r.path("id").asText(), r));
        JsonNode group = byId.get(AWS_WORKERS);
        assertThat(group).as("the AWS compute.group").isNotNull();
        assertThat(group.path("type").asText()).isEqualTo("compute.group");
        assertThat(group.path("name").asText()).isEqualTo("cw-sandbox-workers");
        JsonNode a = group.path("attributes");
        assertThat(a.path("capacity"))
                .isEqualTo(ModelJson.mapper().readTree("{\"min\": 2, \"max\": 6, \"desired\": 3}"));
        List<String> members = new ArrayList<>();
        a.path("memberIds").forEach(m -> members.add(m.asText()));
        assertThat(members).containsExactlyElementsOf(AWS_WORKER_IDS);
        // members at ~41/45/49% CPU (CloudWatch GetMetricData): cpuAvg their mean, cpuP95 the hottest member's,
        // spread far below group-load-imbalanced's 50 points
        JsonNode u = a.path("utilization");
        double hottest = 0;
        double coolest = 100;
        double avg = 0;
        for (String id : AWS_WORKER_IDS) {
            JsonNode member = byId.get(id);
            assertThat(member).as(id).isNotNull();
            assertThat(member.at("/attributes/group").asText()).as(id + " group").isEqualTo(AWS_WORKERS);
            assertThat(member.at("/attributes/state").asText()).isEqualTo("running");
            JsonNode mu = member.at("/attributes/utilization");
            assertThat(mu.path("windowDays").asInt()).isEqualTo(7);
            assertThat(mu.path("samples").asInt()).isEqualTo(7 * 288);
            hottest = Math.max(hottest, mu.path("cpuP95").asDouble());
            coolest = Math.min(coolest, mu.path("cpuP95").asDouble());
            avg += mu.path("cpuAvg").asDouble() / AWS_WORKER_IDS.size();
        }
        assertThat(u.path("windowDays").asInt()).isEqualTo(7);
        assertThat(u.path("cpuP95").asDouble()).isEqualTo(hottest);
        assertThat(u.path("spread").asDouble()).isCloseTo(hottest - coolest, within(0.01));
        assertThat(u.path("cpuAvg").asDouble()).isCloseTo(avg, within(0.01));
        assertThat(u).isEqualTo(ModelJson.mapper().readTree(
                "{\"cpuAvg\": 45.03, \"cpuP95\": 57.29, \"spread\": 7.73, \"windowDays\": 7}"));
        // managed by Systems Manager and compliant: no patch finding, nothing added to the install-patches rollout
        AWS_WORKER_IDS.forEach(id -> assertThat(byId.get(id).at("/attributes/patch/managed").asBoolean()).isTrue());
        AWS_WORKER_IDS.forEach(id -> assertThat(byId.get(id).at("/attributes/patch/missingCritical").asInt())
                .isZero());
        // the instances outside the group have none
        assertThat(byId.get(AWS_WEB_1).at("/attributes/group").isNull()).isTrue();
        assertThat(byId.get(AWS_WEB_1).at("/attributes/utilization/cpuAvg").asDouble()).isBetween(30.0, 40.0);
    }

    @Test
    @Order(5)
    void everyRuleThatNamesAFixPlansItOnEveryCloud() throws Exception {
        Run check = cli("check", "--sandbox", "--format", "json");
        Run remediate = cli("remediate", "--sandbox", "--format", "json");

        assertThat(remediate.code()).as(remediate.err()).isZero();
        Map<String, String> ruleOf = new HashMap<>();
        check.json().path("findings").forEach(f -> ruleOf.put(f.path("id").asText(), f.path("ruleId").asText()));
        List<Fix> planned = new ArrayList<>();
        List<String> notPlanned = new ArrayList<>();
        for (JsonNode p : remediate.json().path("plans")) {
            String rule = ruleOf.get(p.path("findingId").asText());
            assertThat(rule).as("the finding of plan " + p).isNotNull();
            if (p.path("skipped").asText().isEmpty()) {
                planned.add(new Fix(rule, p.path("plan").path("action").asText(),
                        p.path("plan").path("resource").path("id").asText()));
            } else {
                notPlanned.add(rule + " " + p.path("resource").path("id").asText() + ": " + p.path("skipped").asText());
            }
        }
        // One plan per resource and action, from the first rule that asks for it; the other rules' findings are
        // covered by that plan.
        assertThat(FIXES).containsAll(planned);
        assertThat(planned.stream().map(Fix::change).toList()).containsExactlyInAnyOrderElementsOf(CHANGES);
        List<String> covered = notPlanned.stream().filter(n -> n.contains(": covered by plan p-")).toList();
        assertThat(covered).hasSize(FIXES.size() - CHANGES.size());
        // every finding whose rule names a fix is planned on every cloud, Entra application credentials included
        assertThat(notPlanned.stream().filter(n -> !covered.contains(n)).toList()).isEmpty();
        assertThat(remediate.json().path("results")).allSatisfy(r ->
                assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("planned"));
        assertThat(Files.readString(state.resolve("sandbox/scenarios.json"))).as("a dry run changes nothing")
                .doesNotContain("\"revoked\"", "\"blocked\"", "\"disabled\"", "\"fixed\"");
    }

    @Test
    @Order(6)
    void remediationAppliedInOneRunIsVisibleToTheNextScan() throws Exception {
        Run remediate = cli("remediate", "--sandbox", "--apply", "--format", "json");

        // exit 1: the install-patches rollout halted (on purpose) and left a resource unapplied
        assertThat(remediate.code()).as(remediate.err()).isEqualTo(1);
        List<String> applied = new ArrayList<>();
        Map<String, String> other = new HashMap<>();
        for (JsonNode r : remediate.json().path("results")) {
            String change = r.path("action").asText() + " " + r.path("resource").path("id").asText();
            switch (r.path("status").asText()) {
                case "applied-verified" -> applied.add(change);
                default -> other.put(change, r.path("status").asText() + " " + r.path("message").asText());
            }
        }
        assertThat(other).containsOnlyKeys(PATCH + " " + AWS_APP_2, PATCH + " " + AWS_WEB_1);
        assertThat(other.get(PATCH + " " + AWS_APP_2)).startsWith("verify-failed verify-failed: the re-read resource"
                + " does not show the planned change: patch.missingCritical is 1, planned 0");
        assertThat(other.get(PATCH + " " + AWS_WEB_1)).isEqualTo("not-applied not applied: rollout halted before"
                + " wave 3");
        assertThat(applied).containsExactlyInAnyOrderElementsOf(CHANGES.stream().filter(c -> !other.containsKey(c))
                .toList());
        assertThat(applied).doesNotHaveDuplicates();
        assertThat(remediate.json().path("waves").asText()).contains("of " + PATCH + ": halted (3 waves: 1, 5, 1"
                + " resources)").contains("wave 2/3: 4/5 verified — halted at " + AWS_APP_2)
                .contains("wave 3/3: 0/1 verified — not started").contains(PATCH_ROLLOUT_HALT);
        assertThat(Files.readString(state.resolve("sandbox/scenarios.json")))
                .contains("\"aws-patch\": \"app-2\"", "\"azure-patch\": \"web-01\"", "\"gcp-patch\": \"web-1\"");
        assertThat(Files.readString(state.resolve("sandbox/scenarios.json")))
                .contains("\"bucket-cw-public-assets\": \"blocked\"")
                .contains("\"azure-nsg-web-nsg\": \"revoked\"")
                .contains("\"azure-storage-cwlogsprod\": \"fixed\"")
                .contains("\"gcp-sa-key-deployer\": \"disabled\"")
                .contains("\"gcp-firewall-allow-ssh-anywhere\": \"disabled\"")
                .contains("\"azure-app-cw-deployer\": \"secret-removed\"");

        Run scan = cli("scan", "--sandbox");
        assertThat(scan.code()).as(scan.err()).isZero();
        Run check = cli("check", "--sandbox", "--format", "json");

        Set<String> after = pairs(check.json());
        assertThat(after).doesNotContainAnyElementsOf(FIXED);
        Set<String> expected = new LinkedHashSet<>(FINDINGS);
        FIXED.forEach(expected::remove);
        expected.add("key-inactive-lingering AKIAIOSFODNN7ALICE01"); // deactivated, not deleted
        expected.add("key-inactive-lingering " + GCP_KEY); // disabled, not deleted
        expected.add("storage-customer-managed-key arn:aws:s3:::cw-legacy-acl"); // encrypted now, with SSE-S3
        assertThat(after).containsExactlyInAnyOrderElementsOf(expected).containsAll(NOT_FIXED);
    }

    @Test
    @Order(7)
    void sandboxApplyResetsTheEstateFixesItAndShowsTheFixInOneReport() {
        Run run = cli("sandbox", "--apply", "--format", "markdown");

        // exit 0: the cycle ran (the report says the patch rollout halted)
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("\n# Cloudwarden sandbox")
                .contains("## Drift against Terraform state (aws.tfstate, azure.tfstate, gcp.tfstate)")
                .contains("### Unmanaged (6)")
                .contains("## Remediation (applied)")
                .doesNotContain("\n# Cloudwarden drift")
                .contains("Findings: 64 before → 45 after; resolved 22:")
                .contains("Drift: 11 resources before → 13 after.");
        // a fix restores what Terraform declares, or departs from a state that declares what the rules forbid
        String restored = section(run.out(), "No longer drifted");
        String departed = section(run.out(), "Drifted by the fix");
        assertThat(restored).contains("- changed " + KMS_APP, "- changed arn:aws:s3:::cw-public-assets")
                .doesNotContain(NSG_WEB);
        assertThat(departed).contains("- changed " + NSG_WEB, "- changed " + GCP_KEY, "- changed " + GCP_BUCKET,
                "- changed AKIAIOSFODNN7ALICE01");
        assertThat(run.out().split("\\[applied-verified]", -1)).hasSize(CHANGES.size() - 2 + 1);
        assertThat(run.out()).doesNotContain("[already-compliant]")
                .contains("- [verify-failed] " + PATCH + " on `" + AWS_APP_2 + "`")
                .contains("- [not-applied] " + PATCH + " on `" + AWS_WEB_1 + "`");
        // the rollout: waves, progress, where and why it halted
        assertThat(run.out()).contains("## Rollouts in verified waves")
                .contains("- Rollout rollout-")
                .contains(" of " + PATCH + ": halted (3 waves: 1, 5, 1 resources)")
                .contains("  - wave 1/3: 1/1 verified\n")
                .contains("  - wave 2/3: 4/5 verified — halted at " + AWS_APP_2 + ": verify-failed")
                .contains("  - wave 3/3: 0/1 verified — not started")
                .contains("  - " + PATCH_ROLLOUT_HALT)
                .contains("  - 1 resource not applied");
        NOT_FIXED.forEach(f -> assertThat(run.out()).doesNotContain("- " + f + "\n"));
        FIXED.forEach(f -> assertThat(run.out()).contains("- " + f));
    }

    /** The list items ("- ...") right under the line that contains {@code heading}, up to the first other line. */
    private static String section(String report, String heading) {
        int start = report.indexOf(heading);
        assertThat(start).as("section '" + heading + "' in the report").isNotNegative();
        StringBuilder out = new StringBuilder();
        for (String line : report.substring(report.indexOf('\n', start) + 1).split("\n")) {
            if (line.isBlank() || !line.startsWith("- ")) {
                break;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static JsonNode find(JsonNode drift, String id) {
        for (JsonNode d : drift) {
            if (d.path("resource").path("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no drift entry for " + id);
    }
}
