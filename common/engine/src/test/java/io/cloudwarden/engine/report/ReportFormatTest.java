package io.cloudwarden.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportFormatTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"json, JSON", "OCSF, OCSF", " Sarif , SARIF", "markdown, MARKDOWN", "md, MARKDOWN", "table, TABLE"})
    void parsesNamesCaseInsensitively(String text, ReportFormat expected) {
        assertThat(ReportFormat.parse(text)).isEqualTo(expected);
    }

    @Test
    void unknownFormatsNameTheAllowedValues() {
        assertThatThrownBy(() -> ReportFormat.parse("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format: expected one of json, ocsf, ocsf-ndjson, sarif, markdown, table, html but was 'xml'");
        assertThatThrownBy(() -> ReportFormat.parse(null)).hasMessageContaining("but was 'null'");
    }

    @Test
    void ndjsonIsOcsfOneEventPerLine() {
        assertThat(ReportFormat.parse("ocsf-ndjson")).isEqualTo(ReportFormat.OCSF_NDJSON);
        assertThat(ReportFormat.parse("ndjson")).isEqualTo(ReportFormat.OCSF_NDJSON);
        assertThat(ReportFormat.OCSF_NDJSON.id()).isEqualTo("ocsf-ndjson");
        assertThat(ReportFormat.parse("HTML")).isEqualTo(ReportFormat.HTML);
    }
}
