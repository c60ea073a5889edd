package io.cloudwarden.engine.report;

import static io.cloudwarden.engine.report.ReportFixtures.findingsReport;
import static io.cloudwarden.engine.report.ReportFixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCSF output against the JSON Schema of its declared version's Compliance Finding class, compiled from the
 * vendored ocsf-schema release (test resources {@code ocsf-schema-1.3.0/}, Apache-2.0, see its README).
 */
class OcsfSchemaTest {
    static OcsfSchemaCompiler ocsf;
    static JsonSchemaCheck complianceFinding;

    @BeforeAll
    static void compile() {
        ocsf = new OcsfSchemaCompiler("/ocsf-schema-" + FindingsReportWriter.OCSF_VERSION);
        // the events declare the cloud profile (metadata.profiles); its attribute `cloud` is then required
        complianceFinding = new JsonSchemaCheck(ocsf.compileClass("findings/compliance_finding", Set.of("cloud")));
    }

    @Test
    void theVendoredSchemaIsTheVersionTheEventsDeclare() {
        assertThat(ocsf.version()).isEqualTo(FindingsReportWriter.OCSF_VERSION);
    }

    @Test
    void everyEventValidatesAgainstTheComplianceFindingClass() throws Exception {
        JsonNode events = ModelJson.mapper().readTree(render(findingsReport(), ReportFormat.OCSF, false));
        assertThat(events).isNotEmpty();
        for (JsonNode e : events) {
            assertThat(complianceFinding.violations(e)).as(e.at("/finding_info/uid").asText()).isEmpty();
            assertThat(e.at("/metadata/version").asText()).isEqualTo(ocsf.version());
            assertThat(e.at("/metadata/profiles")).extracting(JsonNode::asText).containsExactly("cloud");
        }
    }

    @Test
    void theCompiledSchemaRejectsWhatOcsf130DoesNotDefine() throws Exception {
        JsonNode event = ModelJson.mapper().readTree(render(findingsReport(), ReportFormat.OCSF, false)).get(0);

        ObjectNode oneResource = event.deepCopy();
        oneResource.putObject("resources").put("uid", "x"); // 1.1.0's single object where 1.3.0 has an array
        assertThat(complianceFinding.violations(oneResource)).isNotEmpty();

        ObjectNode noStandards = event.deepCopy();
        ((ObjectNode) noStandards.get("compliance")).remove("standards");
        assertThat(complianceFinding.violations(noStandards)).anyMatch(v -> v.contains("standards"));

        ObjectNode unknownField = event.deepCopy();
        ((ObjectNode) unknownField.get("resources").get(0)).put("partition", "aws");
        assertThat(complianceFinding.violations(unknownField)).anyMatch(v -> v.contains("partition"));

        ObjectNode badSeverity = event.deepCopy();
        badSeverity.put("severity_id", 7);
        assertThat(complianceFinding.violations(badSeverity)).isNotEmpty();

        ObjectNode wrongClass = event.deepCopy();
        wrongClass.put("type_uid", 200401);
        assertThat(complianceFinding.violations(wrongClass)).isNotEmpty();

        ObjectNode noCloud = event.deepCopy();
        noCloud.remove("cloud");
        assertThat(complianceFinding.violations(noCloud)).anyMatch(v -> v.contains("cloud"));

        ObjectNode noRemediationText = event.deepCopy();
        noRemediationText.putObject("remediation");
        assertThat(complianceFinding.violations(noRemediationText)).anyMatch(v -> v.contains("desc"));
    }
}
