package io.cloudwarden.engine.report;

import static io.cloudwarden.engine.report.ReportFixtures.findingsReport;
import static io.cloudwarden.engine.report.ReportFixtures.golden;
import static io.cloudwarden.engine.report.ReportFixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.Severity;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FindingsReportWriterTest {
    static final FindingsReport REPORT = findingsReport();

    static JsonNode parse(String json) throws Exception {
        return ModelJson.mapper().readTree(json);
    }

    @Test
    void theFixtureHasFailuresAnErrorAndAScanError() {
        assertThat(REPORT.findings()).extracting(Finding::ruleId).containsExactlyInAnyOrder(
                "storage-no-public-access", "firewall-no-internet-ssh", "kms-rotation-enabled",
                "key-rotated-90-days", "key-unused-90-days");
        assertThat(REPORT.findings()).filteredOn(f -> f.status() == Finding.Status.ERROR)
                .extracting(Finding::ruleId).containsExactly("key-unused-90-days");
        assertThat(REPORT.partial()).isTrue();
    }

    @Test
    void jsonCarriesTheSchemaSummaryAndRoundTripsFindings() throws Exception {
        JsonNode root = parse(render(REPORT, ReportFormat.JSON, false));

        assertThat(root.get("schema").asText()).isEqualTo("cloudwarden/findings/v1");
        assertThat(root.get("generatedAt").asText()).isEqualTo("2026-11-23T10:05:00Z");
        assertThat(root.get("snapshotTakenAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(root.get("resourcesEvaluated").asInt()).isEqualTo(4);
        assertThat(root.get("partial").asBoolean()).isTrue();
        assertThat(root.at("/summary/total").asInt()).isEqualTo(5);
        assertThat(root.at("/summary/failed").asInt()).isEqualTo(4);
        assertThat(root.at("/summary/errors").asInt()).isEqualTo(1);
        assertThat(root.at("/summary/bySeverity/high").asInt()).isEqualTo(2);
        assertThat(root.at("/summary/bySeverity/medium").asInt()).isEqualTo(3);
        assertThat(root.at("/summary/bySeverity/critical").asInt()).isZero();
        assertThat(root.at("/scanErrors/0/code").asText()).isEqualTo("UnauthorizedOperation");
        assertThat(root.at("/rules/0/id").asText()).isEqualTo("storage-no-public-access");
        assertThat(root.at("/rules/0/remediation/action").asText()).isEqualTo("storage.bucket/block-public-access");

        List<Finding> back = ModelJson.mapper().convertValue(root.get("findings"), new TypeReference<>() { });
        assertThat(back).containsExactlyElementsOf(
                REPORT.findings().stream().sorted(FindingsReportWriter.ORDER).toList());
    }

    @Test
    void jsonOfAReportWithoutSnapshotHasANullTakenAt() throws Exception {
        JsonNode root = parse(render(ReportFixtures.emptyReport(), ReportFormat.JSON, false));
        assertThat(root.get("snapshotTakenAt").isNull()).isTrue();
        assertThat(root.get("findings")).isEmpty();
    }

    /** Values pinned for OCSF 1.3.0 Compliance Finding (class 2003); the shape is checked by {@code OcsfSchemaTest}. */
    @Test
    void ocsfIsOneComplianceFindingPerFinding() throws Exception {
        JsonNode arr = parse(render(REPORT, ReportFormat.OCSF, false));
        assertThat(arr.isArray()).isTrue();
        assertThat(arr).hasSize(5);

        JsonNode o = StreamSupport.stream(arr.spliterator(), false)
                .filter(n -> n.at("/metadata/event_code").asText().equals("storage-no-public-access"))
                .findFirst().orElseThrow();
        assertThat(o.get("class_uid").asInt()).isEqualTo(2003);
        assertThat(o.get("category_uid").asInt()).isEqualTo(2);
        assertThat(o.get("activity_id").asInt()).isEqualTo(1);
        assertThat(o.get("type_uid").asInt()).isEqualTo(200301);
        assertThat(o.get("severity_id").asInt()).isEqualTo(4);
        assertThat(o.get("severity").asText()).isEqualTo("High");
        assertThat(o.get("status").asText()).isEqualTo("New");
        assertThat(o.get("status_id").asInt()).isEqualTo(1);
        assertThat(o.get("time").asLong()).isEqualTo(ReportFixtures.TAKEN.toEpochMilli());
        Finding f = REPORT.findings().stream().filter(x -> x.ruleId().equals("storage-no-public-access"))
                .findFirst().orElseThrow();
        assertThat(o.at("/finding_info/uid").asText()).isEqualTo(f.id());
        assertThat(o.at("/finding_info/title").asText()).isEqualTo("Object storage must not allow anonymous reads");
        assertThat(o.at("/finding_info/desc").asText()).isEqualTo(f.message());
        assertThat(o.at("/finding_info/analytic/uid").asText()).isEqualTo("storage-no-public-access");
        // an AWS finding cites the AWS benchmark only, by its recommendation number
        assertThat(o.at("/compliance/standards")).extracting(JsonNode::asText)
                .containsExactly("CIS Amazon Web Services Foundations Benchmark v3.0.0");
        assertThat(o.at("/compliance/requirements")).extracting(JsonNode::asText).containsExactly("CIS AWS 2.1.4");
        assertThat(o.at("/compliance/control").asText()).isEqualTo("2.1.4");
        assertThat(o.at("/compliance/status").asText()).isEqualTo("Fail");
        assertThat(o.at("/compliance/status_id").asInt()).isEqualTo(3);
        assertThat(o.at("/resources/0/uid").asText()).isEqualTo("arn:aws:s3:::acme-public");
        assertThat(o.at("/resources/0/type").asText()).isEqualTo("storage.bucket");
        assertThat(o.at("/resources/0/region").asText()).isEqualTo("us-east-1");
        assertThat(o.at("/resources/0/cloud_partition").asText()).isEqualTo("aws");
        assertThat(o.at("/cloud/provider").asText()).isEqualTo("AWS");
        assertThat(o.at("/cloud/account/uid").asText()).isEqualTo("111122223333");
        assertThat(o.at("/cloud/region").asText()).isEqualTo("us-east-1");
        assertThat(o.at("/metadata/version").asText()).isEqualTo("1.3.0");
        assertThat(o.at("/metadata/product/version").asText()).isEqualTo(ToolVersion.get());
        assertThat(o.at("/metadata/product/name").asText()).isEqualTo("Cloudwarden");
        assertThat(o.at("/metadata/product/vendor_name").asText()).isEqualTo("Cloudwarden");
        assertThat(o.at("/remediation/desc").asText()).startsWith("Block public access");

        JsonNode error = StreamSupport.stream(arr.spliterator(), false)
                .filter(n -> n.at("/metadata/event_code").asText().equals("key-unused-90-days"))
                .findFirst().orElseThrow();
        assertThat(error.at("/compliance/status").asText()).isEqualTo("Unknown");
        assertThat(error.at("/compliance/status_id").asInt()).isZero();

        JsonNode gcp = StreamSupport.stream(arr.spliterator(), false)
                .filter(n -> n.at("/metadata/event_code").asText().equals("firewall-no-internet-ssh"))
                .findFirst().orElseThrow();
        assertThat(gcp.at("/compliance/standards")).extracting(JsonNode::asText)
                .containsExactly("CIS Google Cloud Platform Foundation Benchmark v2.0.0");
        assertThat(gcp.at("/compliance/control").asText()).isEqualTo("3.6");
        assertThat(gcp.at("/resources/0").has("cloud_partition")).as("the AWS partition is AWS-only").isFalse();
    }

    @Test
    void everyOcsfEventCarriesRemediationText() throws Exception {
        JsonNode arr = parse(render(REPORT, ReportFormat.OCSF, false));
        assertThat(arr).allSatisfy(o -> assertThat(o.at("/remediation/desc").asText()).isNotBlank());
    }

    @Test
    void everyBuiltInRuleSaysHowToFixItInWords() {
        assertThat(io.cloudwarden.engine.policy.PolicyLoader.builtIn())
                .allSatisfy(r -> assertThat(r.fix()).as(r.id()).isNotBlank());
    }

    @Test
    void aRuleWithoutFixTextFallsBackToItsActionThenItsTitle() {
        Rule withAction = new Rule("r1", "Buckets must be private", "", Severity.HIGH, List.of("storage.bucket"),
                "true", List.of(), Optional.of(new io.cloudwarden.model.RemediationRef(
                        "storage.bucket/block-public-access", io.cloudwarden.model.RemediationRef.Mode.NOTIFY)), "x");
        Rule bare = new Rule("r2", "Buckets must be private", "", Severity.HIGH, List.of("storage.bucket"),
                "true", List.of(), Optional.empty(), "x");
        assertThat(withAction.remediationText()).contains("storage.bucket/block-public-access");
        assertThat(bare.remediationText()).isEqualTo("Change the resource so that it complies: Buckets must be"
                + " private.");
    }

    @Test
    void ocsfNdjsonIsTheSameEventsOnePerLine() throws Exception {
        JsonNode arr = parse(render(REPORT, ReportFormat.OCSF, false));
        String ndjson = render(REPORT, ReportFormat.OCSF_NDJSON, false);
        List<String> lines = ndjson.lines().toList();
        assertThat(ndjson).endsWith("\n");
        assertThat(lines).hasSize(arr.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(parse(lines.get(i))).isEqualTo(arr.get(i));
        }
    }

    @ParameterizedTest(name = "{0} → severity_id {1}")
    @CsvSource({"INFO, 1, Informational", "LOW, 2, Low", "MEDIUM, 3, Medium", "HIGH, 4, High",
            "CRITICAL, 5, Critical"})
    void ocsfSeverityMapping(Severity s, int id, String name) {
        assertThat(FindingsReportWriter.ocsfSeverityId(s)).isEqualTo(id);
        assertThat(FindingsReportWriter.ocsfSeverity(s)).isEqualTo(name);
    }

    @Test
    void sarifIsOneRunWithRulesAndOneResultPerFinding() throws Exception {
        JsonNode root = parse(render(REPORT, ReportFormat.SARIF, false));

        assertThat(root.get("$schema").asText()).contains("sarif-schema-2.1.0.json");
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        assertThat(root.get("runs")).hasSize(1);
        JsonNode run = root.at("/runs/0");
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("Cloudwarden");
        assertThat(run.at("/tool/driver/informationUri").asText()).startsWith("https://");
        JsonNode rules = run.at("/tool/driver/rules");
        assertThat(rules).hasSize(REPORT.rules().size());
        assertThat(rules.get(0).get("id").asText()).isEqualTo("storage-no-public-access");
        assertThat(run.at("/tool/driver/version").asText()).isEqualTo(ToolVersion.get());
        assertThat(run.at("/tool/driver/semanticVersion").asText()).isEqualTo(ToolVersion.get());
        assertThat(rules.get(0).at("/shortDescription/text").asText())
                .isEqualTo("Object storage must not allow anonymous reads.");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.at("/fullDescription/text").asText()).as("fullDescription").isNotBlank();
            assertThat(rule.at("/help/text").asText()).as("help.text").isNotBlank();
            assertThat(rule.at("/help/markdown").asText()).as("help.markdown").contains("**How to fix:**");
        });
        assertThat(rules.get(0).at("/properties/severity").asText()).isEqualTo("high");
        assertThat(rules.get(0).at("/properties/controls")).extracting(JsonNode::asText)
                .containsExactly("CIS AWS 2.1.4", "CIS Azure 3.7", "CIS GCP 5.1");

        JsonNode results = run.get("results");
        assertThat(results).hasSize(5);
        for (JsonNode r : results) {
            int idx = r.get("ruleIndex").asInt();
            assertThat(rules.get(idx).get("id").asText()).as("ruleIndex points at its rule")
                    .isEqualTo(r.get("ruleId").asText());
            String resourceId = r.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText();
            assertThat(r.at("/locations/0").has("physicalLocation")).as("a cloud resource is no artifact URI")
                    .isFalse();
            assertThat(REPORT.findings()).anyMatch(f -> f.resource().id().equals(resourceId)
                    && f.ruleId().equals(r.get("ruleId").asText())
                    && FindingsReportWriter.sentence(f.message()).equals(r.at("/message/text").asText()));
        }
        JsonNode ssh = find(results, "firewall-no-internet-ssh");
        assertThat(ssh.get("level").asText()).isEqualTo("error");
        assertThat(ssh.get("kind").asText()).isEqualTo("fail");
        assertThat(find(results, "kms-rotation-enabled").get("level").asText()).isEqualTo("warning");
        JsonNode err = find(results, "key-unused-90-days");
        assertThat(err.get("kind").asText()).isEqualTo("review");
        assertThat(err.get("level").asText()).isEqualTo("none");
        assertThat(err.at("/properties/status").asText()).isEqualTo("error");

        assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isFalse();
        assertThat(run.at("/invocations/0/toolExecutionNotifications/0/message/text").asText())
                .contains("aws/111122223333/eu-west-1/compute.instance").contains("UnauthorizedOperation");
    }

    private static JsonNode find(JsonNode results, String ruleId) {
        return StreamSupport.stream(results.spliterator(), false)
                .filter(n -> n.get("ruleId").asText().equals(ruleId)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"CRITICAL, error", "HIGH, error", "MEDIUM, warning", "LOW, note", "INFO, note"})
    void sarifLevelMapping(Severity s, String level) {
        assertThat(FindingsReportWriter.sarifLevel(s)).isEqualTo(level);
    }

    @Test
    void sarifResultForARuleNotInTheReportHasNoRuleIndex() throws Exception {
        Finding orphan = new Finding("f-1", "custom-rule", "Custom", Severity.LOW, Finding.Status.FAIL,
                new ResourceRef(Cloud.GCP, "p", "global", "kms.key", "k"), "m", List.of(), Optional.empty(), null);
        FindingsReport r = new FindingsReport(ReportFixtures.GENERATED, Optional.empty(), 1, List.of(orphan),
                List.<Rule>of(), List.of());
        JsonNode result = parse(render(r, ReportFormat.SARIF, false)).at("/runs/0/results/0");
        assertThat(result.get("ruleId").asText()).isEqualTo("custom-rule");
        assertThat(result.has("ruleIndex")).isFalse();
        assertThat(parse(render(r, ReportFormat.SARIF, false)).at("/runs/0/invocations/0/executionSuccessful")
                .asBoolean()).isTrue();
    }

    @Test
    void markdownSummarisesBySeverityThenGroupsFindings() {
        assertThat(render(REPORT, ReportFormat.MARKDOWN, false)).isEqualTo(golden("findings.md"));
    }

    @Test
    void markdownOfACleanReportSaysSo() {
        assertThat(render(ReportFixtures.emptyReport(), ReportFormat.MARKDOWN, false))
                .contains("| **total** | **0** |").contains("No findings.").doesNotContain("Partial scan");
    }

    @Test
    void tableIsFixedWidthCappedAndStablyOrdered() {
        String table = render(REPORT, ReportFormat.TABLE, false);
        assertThat(table).isEqualTo(golden("findings.table.txt"));
        assertThat(table).doesNotContain("\u001b[");
        List<String> lines = table.lines().toList();
        int messageColumn = lines.get(0).indexOf("MESSAGE");
        assertThat(lines.subList(2, 7)).allSatisfy(l -> {
            assertThat(l.length() - messageColumn).isLessThanOrEqualTo(FindingsReportWriter.TABLE_CAPS[4]);
            assertThat(l.indexOf(l.trim().split("\\s+")[4], messageColumn - 1)).isEqualTo(messageColumn);
        });
    }

    @Test
    void tableOrderIsIndependentOfInputOrder() {
        List<Finding> reversed = new ArrayList<>(REPORT.findings());
        java.util.Collections.reverse(reversed);
        FindingsReport r = new FindingsReport(REPORT.generatedAt(), REPORT.snapshotTakenAt(),
                REPORT.resourcesEvaluated(), reversed, REPORT.rules(), REPORT.scanErrors());
        assertThat(render(r, ReportFormat.TABLE, false)).isEqualTo(render(REPORT, ReportFormat.TABLE, false));
    }

    @Test
    void colorIsOnlyAddedWhenAskedAndOnlyToTheSeverityColumn() {
        String plain = render(REPORT, ReportFormat.TABLE, false);
        String colored = render(REPORT, ReportFormat.TABLE, true);
        assertThat(colored).contains("\u001b[31mhigh    \u001b[0m");
        assertThat(colored.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
    }

    @Test
    void tableOfNoFindingsIsOneSummaryLine() {
        assertThat(render(ReportFixtures.emptyReport(), ReportFormat.TABLE, false))
                .isEqualTo("0 findings in 0 resources\n");
    }

    @Test
    void controlCharactersInNamesCannotReachTheTerminal() {
        Finding f = new Finding("f-2", "r", "T", Severity.LOW, Finding.Status.FAIL,
                new ResourceRef(Cloud.AWS, "a", "r", "kms.key", "evil\u001b[2Jname"), "line1\nline2",
                List.of(), Optional.empty(), null);
        String t = render(new FindingsReport(ReportFixtures.GENERATED, Optional.empty(), 1, List.of(f), List.of(),
                List.of()), ReportFormat.TABLE, false);
        assertThat(t).doesNotContain("\u001b").contains("evil?[2Jname").contains("line1 line2");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void theWriterIsFlushedButNotClosed(ReportFormat format) throws Exception {
        StringWriter w = new StringWriter() {
            @Override
            public void close() {
                throw new AssertionError("writer must not be closed");
            }
        };
        FindingsReportWriter.write(REPORT, format, w);
        assertThat(w.toString()).isNotEmpty();
    }
}
