package io.cloudwarden.it.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.local.Main;
import io.cloudwarden.model.ModelJson;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's reports fed to the tools that consume them: the SARIF Multitool with GitHub's ingestion rules
 * ({@code validate --rule-kind "Sarif;Ghas"}) and headless Chromium for the HTML report. The tools are installed by
 * {@code .ci/run}; outside CI a missing tool skips its test with the reason, under {@code CI=true} it fails.
 */
class ReportConsumersTest {
    @TempDir
    static Path dir;
    static Path state;
    static JsonNode sandboxJson;

    @BeforeAll
    static void runTheSandbox() throws Exception {
        state = dir.resolve("state");
        String out = cli(0, "sandbox", "--state-dir", state.toString(), "--format", "json");
        sandboxJson = ModelJson.mapper().readTree(out);
    }

    @Test
    void sandboxJsonIsOneDocumentOfTheWholeCycle() {
        assertThat(sandboxJson.get("schema").asText()).isEqualTo("cloudwarden/sandbox/v1");
        assertThat(sandboxJson.get("applied").asBoolean()).isFalse();
        assertThat(sandboxJson.get("clouds")).extracting(JsonNode::asText).containsExactly("aws", "azure", "gcp");
        assertThat(sandboxJson.get("events")).isNotEmpty();
        assertThat(sandboxJson.at("/scan/resources").asInt()).isPositive();
        assertThat(sandboxJson.at("/drift/drift")).isNotEmpty();
        assertThat(sandboxJson.at("/findings/schema").asText()).isEqualTo("cloudwarden/findings/v1");
        assertThat(sandboxJson.at("/findings/findings")).isNotEmpty();
        assertThat(sandboxJson.at("/remediation/plans")).isNotEmpty();
        assertThat(sandboxJson.has("after")).as("no rescan without --apply").isFalse();
    }

    // ------------------------------------------------------------------------------------------------ SARIF

    @Test
    void theMultitoolWithGitHubRulesReportsNothingOnTheSandboxSarif() throws Exception {
        Path multitool = tool("CLOUDWARDEN_SARIF_MULTITOOL", cache().resolve(
                "sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"), "the SARIF Multitool");
        Path sarif = dir.resolve("check.sarif");
        cli(0, "check", "--sandbox", "--state-dir", state.toString(), "--format", "sarif", "--out", sarif.toString());

        assertThat(multitoolProblems(multitool, sarif)).as("Multitool errors and warnings").isEmpty();

        // the check can fail: the 1.x-era shape (resource ids as artifact URIs, no help, no version) is reported
        ObjectNode broken = (ObjectNode) ModelJson.mapper().readTree(sarif.toFile());
        JsonNode run = broken.at("/runs/0");
        ((ObjectNode) run.at("/tool/driver")).remove(List.of("version", "semanticVersion"));
        run.at("/tool/driver/rules").forEach(r -> ((ObjectNode) r).remove("help"));
        run.get("results").forEach(r -> ((ObjectNode) r.at("/locations/0")).putObject("physicalLocation")
                .putObject("artifactLocation").put("uri", r.at("/locations/0/logicalLocations/0/fullyQualifiedName")
                        .asText()));
        Path bad = dir.resolve("broken.sarif");
        ModelJson.mapper().writeValue(bad.toFile(), broken);
        assertThat(multitoolProblems(multitool, bad)).anyMatch(p -> p.startsWith("error GH2012"))
                .anyMatch(p -> p.startsWith("error SARIF1004")).anyMatch(p -> p.startsWith("warning SARIF2005"));
    }

    /** The Multitool's findings ("level ruleId: message"); its exit code is 0 whatever it finds, so its log is read. */
    private static List<String> multitoolProblems(Path multitool, Path sarif) throws Exception {
        Path log = dir.resolve(sarif.getFileName() + ".validation.sarif");
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(multitool.toString(), "validate", sarif.toString(), "-o", log.toString(),
                "--rule-kind", "Sarif;Ghas").redirectErrorStream(true).start();
        String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the Multitool finished").isTrue();
        assertThat(log).as("the Multitool wrote its log; console:%n%s", console).exists();
        List<String> problems = new ArrayList<>();
        for (JsonNode r : ModelJson.mapper().readTree(log.toFile()).at("/runs/0/results")) {
            String level = r.path("level").asText("warning"); // SARIF's default level
            if (level.equals("error") || level.equals("warning")) {
                problems.add(level + " " + r.get("ruleId").asText() + ": " + r.at("/message/text").asText()
                        + r.at("/message/arguments"));
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ HTML

    @Test
    void theCheckHtmlReportRendersInChromiumWithEveryFinding() throws Exception {
        Path chromium = chromium();
        Path html = dir.resolve("check.html");
        cli(0, "check", "--sandbox", "--state-dir", state.toString(), "--format", "html", "--out", html.toString());
        Set<String> ids = new HashSet<>();
        sandboxJson.at("/findings/findings").forEach(f -> ids.add(f.get("id").asText()));
        assertThat(ids).isNotEmpty();

        String dom = dumpDom(chromium, html);
        assertThat(domIds(dom)).containsAll(ids);
        assertThat(dom).contains("Findings by rule and cloud").contains("Unread scopes").contains("Remediation");

        BufferedImage shot = screenshot(chromium, html);
        assertThat(distinctColours(shot)).as("a rendered page, not a blank one").isGreaterThan(20);
    }

    @Test
    void theDriftAndSandboxHtmlReportsRenderInChromium() throws Exception {
        Path chromium = chromium();
        Path drift = dir.resolve("drift.html");
        cli(1, "drift", "--sandbox", "--state-dir", state.toString(), "--format", "html", "--out", drift.toString());
        String dom = dumpDom(chromium, drift);
        assertThat(dom).contains("before").contains("after").contains("changed by");
        // codify's import blocks, one per unmanaged resource (issue 16)
        assertThat(dom).contains("Bring under Terraform (6 import blocks)")
                .contains("to = aws_s3_bucket.cw_legacy_acl").contains("to = azurerm_key_vault_key.legacy_signing")
                .contains("to = azurerm_linux_virtual_machine_scale_set.api_vmss")
                .contains("to = aws_autoscaling_group.cw_sandbox_workers");
        assertThat(distinctColours(screenshot(chromium, drift))).isGreaterThan(20);

        Path sandbox = dir.resolve("sandbox.html");
        Files.writeString(sandbox, cli(0, "sandbox", "--state-dir", dir.resolve("state2").toString(), "--format",
                "html"));
        String sdom = dumpDom(chromium, sandbox);
        Set<String> ids = new HashSet<>();
        sandboxJson.at("/findings/findings").forEach(f -> ids.add(f.get("id").asText()));
        assertThat(domIds(sdom)).containsAll(ids);
        assertThat(sdom).contains("Remediation plan").contains("Cloud events handled").contains("Drift")
                .contains("Bring under Terraform").contains("to = google_compute_firewall.allow_ssh_anywhere");
    }

    @Test
    void tenThousandFindingsRenderInAPageOfAFewMegabytes() throws Exception {
        Path chromium = chromium();
        List<io.cloudwarden.engine.policy.Rule> rules = io.cloudwarden.engine.policy.PolicyLoader.builtIn();
        List<io.cloudwarden.model.Finding> findings = new ArrayList<>();
        io.cloudwarden.model.Cloud[] clouds = io.cloudwarden.model.Cloud.values();
        for (int i = 0; i < 10_000; i++) {
            io.cloudwarden.engine.policy.Rule r = rules.get(i % rules.size());
            io.cloudwarden.model.ResourceRef ref = new io.cloudwarden.model.ResourceRef(clouds[i % 3], "acct-" + i % 7,
                    "region-" + i % 5, r.resourceTypes().get(0), "resource-" + i);
            findings.add(new io.cloudwarden.model.Finding(io.cloudwarden.model.Finding.idFor(r.id(), ref), r.id(),
                    r.title(), r.severity(), io.cloudwarden.model.Finding.Status.FAIL, ref, r.title() + ": resource-"
                    + i, r.controls(), r.remediation(), java.time.Instant.EPOCH));
        }
        io.cloudwarden.engine.report.FindingsReport report = new io.cloudwarden.engine.report.FindingsReport(
                java.time.Instant.EPOCH, java.util.Optional.empty(), 10_000, findings, rules, List.of());
        Path html = dir.resolve("ten-thousand.html");
        try (var w = Files.newBufferedWriter(html)) {
            io.cloudwarden.engine.report.FindingsReportWriter.write(report,
                    io.cloudwarden.engine.report.ReportFormat.HTML, w);
        }
        assertThat(Files.size(html)).as("bytes").isLessThan(8L * 1024 * 1024);
        Set<String> dom = domIds(dumpDom(chromium, html));
        assertThat(dom).containsAll(findings.stream().map(io.cloudwarden.model.Finding::id).toList());
        assertThat(distinctColours(screenshot(chromium, html))).isGreaterThan(20);
    }

    /** The ids of the elements in a DOM dump. */
    static Set<String> domIds(String dom) {
        Set<String> ids = new HashSet<>();
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(dom);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static String dumpDom(Path chromium, Path html) throws Exception {
        Path out = dir.resolve(html.getFileName() + ".dom");
        run(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile()).start().waitFor(180, TimeUnit.SECONDS);
        String dom = Files.readString(out);
        assertThat(dom).as("chromium printed the DOM").contains("</html>");
        return dom;
    }

    static BufferedImage screenshot(Path chromium, Path html) throws Exception {
        Path png = dir.resolve(html.getFileName() + ".png");
        Process p = run(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("chromium-profile"), "--window-size=1280,1600",
                "--screenshot=" + png, html.toUri().toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(png).as("chromium wrote the screenshot (log: %s)", dir.resolve("chromium.log")).exists();
        return ImageIO.read(png.toFile());
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static ProcessBuilder run(String... cmd) {
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    static String cli(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("exit code of %s; stderr: %s", String.join(" ", args), err).isEqualTo(expectedExit);
        return out.toString();
    }

    static Path cache() {
        String c = System.getenv("CLOUDWARDEN_CI_CACHE");
        return c != null && !c.isEmpty() ? Path.of(c) : Path.of(System.getProperty("user.home"), ".cache",
                "cloudwarden-ci");
    }

    static Path chromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path c = Path.of(d, "chromium");
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        return tool("CLOUDWARDEN_CHROMIUM", Path.of("/usr/bin/chromium"), "chromium (Debian package 'chromium')");
    }

    /** The tool at {@code $env} or {@code fallback}; absent: skip outside CI, fail under CI=true. */
    static Path tool(String env, Path fallback, String what) {
        String configured = System.getenv(env);
        Path p = configured != null && !configured.isEmpty() ? Path.of(configured) : fallback;
        if (Files.isExecutable(p)) {
            return p;
        }
        String reason = what + " is not installed at " + p + " (.ci/run installs it; or set " + env + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason);
        }
        Assumptions.abort(reason);
        throw new IllegalStateException("unreachable");
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
