package io.cloudwarden.engine.report;

import static io.cloudwarden.engine.report.ReportFixtures.driftReport;
import static io.cloudwarden.engine.report.ReportFixtures.findingsReport;
import static io.cloudwarden.engine.report.ReportFixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ScanError;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    static final FindingsReport REPORT = findingsReport();

    @Test
    void thePageIsSelfContained() {
        String html = render(REPORT, ReportFormat.HTML, false);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        // the only URL is the SVG namespace name, which is never fetched
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .doesNotContain("http://", "https://", "<script", "<link", "<img", "url(", "@import", "src=");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void everyFindingIsAnAnchoredRowGroupedBySeverityThenCloud() {
        String html = render(REPORT, ReportFormat.HTML, false);
        REPORT.findings().forEach(f -> assertThat(html).contains("<tr id=\"" + f.id() + "\">"));
        assertThat(html.indexOf("high · aws")).isLessThan(html.indexOf("high · gcp"));
        assertThat(html.indexOf(">high (")).isLessThan(html.indexOf(">medium ("));
    }

    @Test
    void theChartHasOneBarSegmentPerRuleAndCloud() {
        String html = render(REPORT, ReportFormat.HTML, false);
        String svg = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
        assertThat(svg).contains("storage-no-public-access · aws: 1").contains("firewall-no-internet-ssh · gcp: 1");
    }

    @Test
    void remediationAndUnreadScopesAreShown() {
        String html = render(REPORT, ReportFormat.HTML, false);
        assertThat(html).contains("Block public access").contains("storage.bucket/block-public-access");
        assertThat(html).contains("<section id=\"unread\">").contains("aws 111122223333/eu-west-1/compute.instance")
                .contains("UnauthorizedOperation");
    }

    @Test
    void driftIsBeforeAndAfterSideBySideWithTheActor() {
        String html = render(driftReport(), ReportFormat.HTML);
        assertThat(html).contains("<th>attribute</th><th>before</th><th>after</th>");
        assertThat(html).contains("<tr><td><code>/publicAccess</code></td><td class=\"before\">false</td>"
                + "<td class=\"after\">true</td></tr>");
        assertThat(html).contains("changed by alice (user via console)")
                .contains("changed by unknown (no event named the change)");
        assertThat(html).contains("aws_lambda_function.api");
    }

    @Test
    void textFromTheCloudIsEscaped() throws Exception {
        HtmlReport page = new HtmlReport("t", ReportFixtures.GENERATED).add(HtmlReport.unread(List.of(
                new ScanError(Cloud.AWS, "1", "r", "storage.bucket", "<script>alert(1)</script>", "X"))));
        StringWriter w = new StringWriter();
        page.write(w);
        assertThat(w.toString()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aSectionIsAddedWithoutChangingTheReport() throws Exception {
        HtmlReport page = HtmlReport.of(REPORT).add(HtmlReport.section("terraform-import", "Bring under Terraform",
                h -> h.el("pre", "", "import { to = aws_s3_bucket.x }")));
        assertThat(page.sections()).extracting(HtmlReport.Section::id)
                .containsExactly("summary", "chart", "findings", "remediation", "unread", "terraform-import");
        StringWriter w = new StringWriter();
        page.write(w);
        assertThat(w.toString()).contains("<a href=\"#terraform-import\">Bring under Terraform</a>")
                .contains("<pre>import { to = aws_s3_bucket.x }</pre>");
    }
}
