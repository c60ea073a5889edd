package io.cloudwarden.engine.report;

import static io.cloudwarden.engine.report.ReportFixtures.driftReport;
import static io.cloudwarden.engine.report.ReportFixtures.golden;
import static io.cloudwarden.engine.report.ReportFixtures.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class DriftReportWriterTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            replace | /versioning           | true                 | false      | /versioning: false → true
            replace | /encryption/keyType   | "provider-managed"   | "customer-managed" | /encryption/keyType: "customer-managed" → "provider-managed"
            add     | /internetIngress/1    | {"protocol":"tcp","fromPort":3389,"toPort":3389} | null | /internetIngress/1: (absent) → {"protocol":"tcp","fromPort":3389,"toPort":3389}
            remove  | /minTlsVersion        | null                 | "1.2"      | /minTlsVersion: "1.2" → (removed)
            replace | /publicIp             | "34.1.2.3"           | null       | /publicIp: null → "34.1.2.3"
            """)
    void changesReadAsPathBeforeAfter(String op, String path, String value, String from, String expected)
            throws Exception {
        AttributeChange c = new AttributeChange(op, path, ModelJson.mapper().readTree(value),
                ModelJson.mapper().readTree(from));
        assertThat(DriftReportWriter.describe(c)).isEqualTo(expected);
    }

    @Test
    void longValuesAreCut() throws Exception {
        AttributeChange c = new AttributeChange("replace", "/x",
                ModelJson.mapper().valueToTree("v".repeat(500)), null);
        assertThat(DriftReportWriter.describe(c)).hasSizeLessThan(150).endsWith("…");
    }

    @Test
    void jsonIsTheModelDocumentAndRoundTrips() throws Exception {
        String json = render(driftReport(), ReportFormat.JSON);
        JsonNode root = ModelJson.mapper().readTree(json);
        assertThat(root.get("schema").asText()).isEqualTo("cloudwarden/drift/v1");
        assertThat(ModelJson.mapper().readValue(json, DriftReport.class)).isEqualTo(driftReport());
    }

    @Test
    void markdownShowsCountsChangesAndActors() {
        assertThat(render(driftReport(), ReportFormat.MARKDOWN)).isEqualTo(golden("drift.md"));
    }

    @Test
    void tableListsOneLinePerChange() {
        String t = render(driftReport(), ReportFormat.TABLE);
        assertThat(t).isEqualTo(golden("drift.table.txt")).doesNotContain("\u001b[");
    }

    @Test
    void aReportWithoutDriftSaysSo() {
        DriftReport clean = new DriftReport(null, "snapshot", ReportFixtures.GENERATED, 3, 3, null, null, 0);
        assertThat(render(clean, ReportFormat.MARKDOWN)).contains("No drift.").contains("previous snapshot");
        assertThat(render(clean, ReportFormat.TABLE))
                .isEqualTo("0 modified, 0 added, 0 removed; 3 managed, 3 unchanged\n");
    }

    @ParameterizedTest
    @EnumSource(value = ReportFormat.class, names = {"SARIF", "OCSF", "OCSF_NDJSON"})
    void findingFormatsAreRefusedForDrift(ReportFormat f) {
        assertThatThrownBy(() -> DriftReportWriter.write(driftReport(), f, new StringWriter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.id()).hasMessageContaining("json, markdown, table or html");
    }
}
