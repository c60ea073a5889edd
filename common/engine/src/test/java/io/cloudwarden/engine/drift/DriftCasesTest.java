package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Table-driven drift cases from {@code src/test/resources/drift/cases/<case>/}: {@code case.json} (mode),
 * {@code expected.json} (baseline resources, or the older snapshot), {@code observed.json} (validated against the
 * snapshot schema), optional {@code .cloudwardenignore} and {@code actors.json} (match key → actor), and
 * {@code report.json}, the exact drift report expected. Baselines are read without schema validation on purpose:
 * a baseline mapped from Terraform only carries the attributes Terraform manages.
 */
class DriftCasesTest {
    private static final ObjectMapper JSON = ModelJson.mapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @TestFactory
    Stream<DynamicTest> everyCaseProducesItsExpectedReport() throws Exception {
        Path root = Path.of(DriftCasesTest.class.getResource("/drift/cases").toURI());
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(root)) {
            cases = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(8);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private static void run(Path dir) throws Exception {
        String mode = JSON.readTree(dir.resolve("case.json").toFile()).path("mode").asText();
        Snapshot expected = JSON.readValue(dir.resolve("expected.json").toFile(), Snapshot.class);
        Snapshot observed = SnapshotReader.read(dir.resolve("observed.json"));
        Path ignoreFile = dir.resolve(".cloudwardenignore");
        IgnoreRules ignore = Files.exists(ignoreFile) ? IgnoreRules.parse(ignoreFile) : IgnoreRules.none();
        Path actorsFile = dir.resolve("actors.json");
        Map<String, Actor> actors = Files.exists(actorsFile)
                ? JSON.readValue(actorsFile.toFile(), new TypeReference<Map<String, Actor>>() { })
                : Map.of();

        DriftEngine engine = new DriftEngine(CLOCK);
        DriftReport report = switch (mode) {
            case "baseline" -> engine.compareToBaseline(expected.resources(), observed, ignore, List.of());
            case "snapshot" -> engine.compareSnapshots(expected, observed, ignore, actors);
            default -> throw new IllegalArgumentException(dir + "/case.json: mode must be baseline or snapshot");
        };

        JsonNode actual = JSON.valueToTree(report);
        JsonNode want = JSON.readTree(dir.resolve("report.json").toFile());
        assertThat(actual.toPrettyString()).isEqualTo(want.toPrettyString());
    }
}
