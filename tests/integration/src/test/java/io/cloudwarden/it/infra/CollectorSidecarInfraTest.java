package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/gcp wires the Cloud Run app's telemetry as docs/TELEMETRY.md ("Cloud Run") describes: the app's OTLP/HTTP
 * default endpoint is where the collector sidecar's configuration listens, that configuration sends metrics and
 * traces to Google Cloud under the metric prefix monitoring.tf queries, and every service runs the sidecar with it.
 */
class CollectorSidecarInfraTest {
    private static final Path MODULE = Hcl.REPO.resolve("infra/gcp");

    @Test
    void theAppSendsWhereTheCollectorListensAndItWritesMetricsAndTracesToGoogleCloud() throws Exception {
        JsonNode config = new YAMLMapper().readTree(MODULE.resolve("otel-collector.yaml").toFile());
        String export = Files.readString(Hcl.REPO.resolve(
                "functions/gcp/src/main/java/io/cloudwarden/app/gcp/TelemetryExport.java"));

        String sends = match(export, "DEFAULT_ENDPOINT\\s*=\\s*\"http://([^\"]+)\"");
        assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText()).isEqualTo(sends);
        for (String pipeline : new String[] {"metrics", "traces"}) {
            JsonNode p = config.at("/service/pipelines/" + pipeline);
            assertThat(p.get("receivers").toString()).as(pipeline).isEqualTo("[\"otlp\"]");
            assertThat(p.get("exporters").toString()).as(pipeline).isEqualTo("[\"googlecloud\"]");
            assertThat(p.get("processors").get(0).asText()).as(pipeline + ": memory_limiter first")
                    .isEqualTo("memory_limiter");
            assertThat(p.get("processors").toString()).contains("resourcedetection", "batch");
        }
        assertThat(config.at("/processors/resourcedetection/detectors").toString()).contains("\"gcp\"");
        // the googlecloud exporter names a metric <prefix>/<OTLP name>: the prefix monitoring.tf's filters put first
        String workload = match(Files.readString(MODULE.resolve("monitoring.tf")),
                "(?m)^\\s*workload\\s*=\\s*\"([^\"]+)\"");
        assertThat(config.at("/exporters/googlecloud/metric/prefix").asText()).isEqualTo(workload);
        assertThat(config.at("/service/extensions").toString()).contains("health_check");
    }

    @Test
    void everyServiceRunsTheSidecarWithThatConfigurationBeforeTheApp() throws Exception {
        JsonNode config = new YAMLMapper().readTree(MODULE.resolve("otel-collector.yaml").toFile());
        String main = Hcl.read(MODULE.resolve("main.tf"));
        String variables = Hcl.read(MODULE.resolve("variables.tf"));

        String env = match(main, "args\\s*=\\s*\\[\"--config=env:([A-Z_]+)\"]");
        assertThat(main).containsPattern("name\\s*=\\s*\"" + env + "\"\\s*value\\s*=\\s*file\\(\"\\$\\{path.module}"
                + "/otel-collector.yaml\"\\)");
        assertThat(main).containsPattern("image\\s*=\\s*var.collector_image");
        assertThat(variables).containsPattern("otelcol-google:\\d+\\.\\d+\\.\\d+\"");
        assertThat(main).containsPattern("depends_on\\s*=\\s*var.cloud_telemetry \\? \\[\"otel-collector\"]");
        // the collector's startup probe is its health_check extension
        String port = match(config.at("/extensions/health_check/endpoint").asText(), ":(\\d+)$");
        assertThat(main).containsPattern("port\\s*=\\s*" + port);
        assertThat(main).contains("QUARKUS_OTEL_SDK_DISABLED = \"false\"");
        // the sidecar writes with the services' accounts
        String identity = Hcl.read(MODULE.resolve("identity.tf"));
        assertThat(identity).contains("roles/monitoring.metricWriter", "roles/cloudtrace.agent");
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
