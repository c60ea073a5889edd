package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.telemetry.CloudwardenMetrics;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s {@code GET /q/metrics} after a sandbox scan through {@code POST /scan}: the Prometheus text parses
 * (strictly) and its counters equal what the scan stored — resources by cloud and type, API calls by service, findings
 * by rule, remediation plans as audited.
 */
class ServeMetricsTest {
    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void afterASandboxScanTheScrapedCountersEqualTheStoredSnapshotFindingsAndAudit() throws Exception {
        Cli.Common common = new Cli.Common();
        common.stateDir = state.toString();
        try (SandboxMode sandbox = SandboxMode.start(common); Cloudwarden cw = sandbox.open(Map.of())) {
            HttpServer server = ServeCommand.start(cw, "127.0.0.1", 0, ServeCommand.serveTelemetry(cw));
            try {
                String base = "http://127.0.0.1:" + server.getAddress().getPort();
                HttpResponse<String> scan = http.send(HttpRequest.newBuilder(URI.create(base + "/scan"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scan.statusCode()).as(scan.body()).isEqualTo(200);

                HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
                PrometheusText metrics = PrometheusText.parse(scrape.body());

                Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
                List<Finding> findings = cw.repository().latestFindings().orElseThrow().findings();
                assertThat(snapshot.resources()).isNotEmpty();
                assertThat(findings).isNotEmpty();

                Map<List<String>, Long> byType = snapshot.resources().stream().collect(Collectors.groupingBy(
                        (Resource r) -> List.of(r.cloud().id(), r.type()), Collectors.counting()));
                assertThat(series(metrics, "cloudwarden_resources_scanned_total", "cloud", "type"))
                        .isEqualTo(byType);
                Map<List<String>, Long> byRule = findings.stream().collect(Collectors.groupingBy(
                        f -> List.of(f.resource().cloud().id(), f.severity().id(), f.ruleId()),
                        Collectors.counting()));
                assertThat(series(metrics, "cloudwarden_findings_total", "cloud", "severity", "rule"))
                        .isEqualTo(byRule);
                assertThat(series(metrics, "cloudwarden_findings_open", "cloud", "severity", "rule"))
                        .isEqualTo(byRule);
                Map<List<String>, Long> calls = new HashMap<>();
                for (ApiCalls c : snapshot.statistics().calls()) {
                    calls.merge(List.of(c.cloud().id(), c.service()), c.calls(), Long::sum);
                }
                assertThat(calls).isNotEmpty();
                assertThat(series(metrics, "cloudwarden_api_calls_total", "cloud", "service")).isEqualTo(calls);
                long throttles = snapshot.statistics().calls().stream().mapToLong(ApiCalls::throttles).sum();
                assertThat((long) metrics.sum("cloudwarden_api_throttles_total", Map.of())).isEqualTo(throttles);
                long unread = snapshot.errors().stream()
                        .filter(e -> !List.of("SchemaViolation", "NormalizationFailed").contains(e.code())).count();
                assertThat((long) metrics.sum("cloudwarden_shards_unread_total", Map.of())).isEqualTo(unread);

                List<AuditRecord> audit = cw.audit().read();
                long planned = audit.stream().filter(r -> r.action().equals("remediation.plan")
                        && r.outcome().equals("created")).count();
                assertThat(planned).isPositive();
                assertThat((long) metrics.sum("cloudwarden_remediation_plans_total", Map.of("outcome", "planned")))
                        .isEqualTo(planned);
                assertThat(metrics.sum("cloudwarden_scan_duration_seconds_count", Map.of("mode", "pooled")))
                        .isEqualTo(1);
                assertThat(metrics.sum("cloudwarden_evaluation_duration_seconds_count", Map.of("path", "scan")))
                        .isEqualTo(1);
                long shards = metrics.named("cloudwarden_shard_duration_seconds_count").stream()
                        .mapToLong(s -> (long) s.value()).sum();
                assertThat(shards).isPositive();
                // every family Cloudwarden declares is one of its instruments
                assertThat(metrics.types.keySet()).filteredOn(n -> n.startsWith("cloudwarden_"))
                        .allSatisfy(n -> assertThat(CloudwardenMetrics.NAMES.stream()
                                .map(m -> m.replace('.', '_')).anyMatch(n::startsWith)).as(n).isTrue());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void metricsAnswerOnlyGet() throws Exception {
        Cli.Common common = new Cli.Common();
        common.stateDir = state.toString();
        try (Cloudwarden cw = Runtime.open(common, Map.of())) {
            HttpServer server = ServeCommand.start(cw, "127.0.0.1", 0, ServeCommand.serveTelemetry(cw));
            try {
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.getAddress().getPort() + "/q/metrics")).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
            } finally {
                server.stop(0);
            }
        }
    }

    /** The samples of {@code name} keyed by the values of {@code labels}, as whole numbers. */
    private static Map<List<String>, Long> series(PrometheusText metrics, String name, String... labels) {
        Map<List<String>, Long> out = new HashMap<>();
        for (PrometheusText.Sample s : metrics.named(name)) {
            List<String> key = java.util.Arrays.stream(labels).map(l -> s.labels().getOrDefault(l, "?")).toList();
            out.merge(key, (long) s.value(), Long::sum);
        }
        return out;
    }
}
