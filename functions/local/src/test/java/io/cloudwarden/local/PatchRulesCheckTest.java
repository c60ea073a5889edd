package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on a three-cloud snapshot whose instances carry {@code os} and {@code patch} (issue 14): exactly the
 * three patch rules fire, each on the instance that earns it; the stopped instance missing critical patches, the
 * instance whose patch state was not read ({@code patch: null}) and the patched ones raise nothing.
 */
class PatchRulesCheckTest {
    @TempDir
    Path dir;

    @Test
    void checkFlagsExactlyTheThreePatchRules() throws Exception {
        String template;
        try (InputStream in = PatchRulesCheckTest.class.getResourceAsStream("/patch/snapshot.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // "recent" is relative to the clock check runs with (the system clock): one day ago
        String recent = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Path snapshot = dir.resolve("snapshot.json");
        Files.writeString(snapshot, template.replace("${RECENT}", recent));

        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("check", "--snapshot", snapshot.toString(),
                "--state-dir", dir.resolve("state").toString(), "--format", "json");

        assertThat(run.err()).isEmpty();
        Map<String, String> failed = new TreeMap<>();
        for (JsonNode f : ModelJson.mapper().readTree(run.out()).path("findings")) {
            assertThat(f.path("status").asText()).as(f.toString()).isNotEqualTo("ERROR");
            if (f.path("status").asText().equals("FAIL")) {
                failed.merge(f.path("ruleId").asText(), f.path("resource").path("id").asText(),
                        (a, b) -> a + " " + b);
            }
        }
        assertThat(failed).containsExactlyInAnyOrderEntriesOf(Map.of(
                "instance-patch-critical-missing", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0c0ffee000000001",
                "instance-patch-unmanaged", "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/"
                        + "rg-app/providers/Microsoft.Compute/virtualMachines/vm-unmanaged",
                "instance-patch-assessment-stale",
                "//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/batch-stale"));
    }
}
