package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/aws wires the Lambda functions' span export as docs/TELEMETRY.md describes: the functions send OTLP/HTTP to
 * the address the ADOT collector layer's configuration listens on, that configuration forwards traces to X-Ray, the
 * spans' attributes it indexes are attributes Cloudwarden sets, and the configuration reaches the layer.
 */
class SpanExportInfraTest {
    private static final java.nio.file.Path MODULE = Hcl.REPO.resolve("infra/aws");

    @Test
    void theFunctionsSendWhereTheCollectorListensAndItForwardsTracesToXRay() throws Exception {
        JsonNode config = new YAMLMapper().readTree(MODULE.resolve("otel-collector.yaml").toFile());
        String tracing = Files.readString(MODULE.resolve("tracing.tf"));

        URI sends = URI.create(match(tracing, "OTEL_EXPORTER_OTLP_ENDPOINT\\s*=\\s*\"([^\"]+)\""));
        assertThat(sends.getScheme()).isEqualTo("http");
        assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText())
                .isEqualTo(sends.getHost() + ":" + sends.getPort());
        assertThat(config.at("/service/pipelines/traces/receivers").toString()).isEqualTo("[\"otlp\"]");
        assertThat(config.at("/service/pipelines/traces/exporters").toString()).isEqualTo("[\"awsxray\"]");
        assertThat(config.at("/exporters").has("awsxray")).isTrue();
    }

    @Test
    void theAttributesXRayIndexesAreOnesCloudwardensSpansCarry() throws Exception {
        JsonNode config = new YAMLMapper().readTree(MODULE.resolve("otel-collector.yaml").toFile());
        Set<String> keys = new TreeSet<>();
        for (Field f : Telemetry.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof AttributeKey<?> k) {
                keys.add(k.getKey());
            }
        }
        List<String> indexed = new ArrayList<>();
        config.at("/exporters/awsxray/indexed_attributes").forEach(a -> indexed.add(a.asText()));

        assertThat(indexed).isNotEmpty().allSatisfy(a -> assertThat(keys).as("span attributes").contains(a));
    }

    @Test
    void everyFunctionGetsTheLayerTheEndpointAndTheCollectorConfiguration() throws Exception {
        String tracing = Files.readString(MODULE.resolve("tracing.tf"));
        String lambda = Hcl.read(MODULE.resolve("lambda.tf"));

        assertThat(lambda).contains("layers = local.span_export_layers").contains("local.span_export_env");
        String uri = match(tracing, "OPENTELEMETRY_COLLECTOR_CONFIG_URI\\s*=\\s*\"env:([A-Z_]+)\"");
        assertThat(tracing).containsPattern(uri + "\\s*=\\s*jsonencode\\(yamldecode\\(file\\(\"\\$\\{path.module}"
                + "/otel-collector.yaml\"\\)\\)\\)");
        assertThat(uri).as("read by the app as cloudwarden.* configuration").doesNotStartWith("CLOUDWARDEN_");
        // the awsxray exporter calls PutTraceSegments with the function's role: both runtime roles may
        String iam = Hcl.read(MODULE.resolve("iam.tf"));
        assertThat(iam.split("xray:PutTraceSegments", -1)).as("scanner and remediator roles").hasSize(3);
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
