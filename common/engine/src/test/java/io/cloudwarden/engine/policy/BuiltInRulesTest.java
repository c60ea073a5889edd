package io.cloudwarden.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in rule, table-driven from {@code src/test/resources/policy/cases/*.json}. Each file has a compliant
 * {@code base} resource and cases that {@code set} / {@code remove} top-level attributes (or give a whole
 * {@code resource}); {@code rule} is the rule id expected to pass or fail ({@code *} = every rule passes).
 */
class BuiltInRulesTest {
    static final List<String> CASE_FILES = List.of(
            "storage-bucket.json", "network-firewall.json", "compute-instance.json", "compute-group.json",
            "identity-user.json", "identity-key.json", "kms-key.json");
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.builtIn(), Clock.fixed(NOW, ZoneOffset.UTC));

    record Case(String file, String name, String rule, boolean expectFail, Resource resource) {
        @Override
        public String toString() {
            return file + ": " + name + " [" + rule + " → " + (expectFail ? "fail" : "pass") + "]";
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String file : CASE_FILES) {
            JsonNode doc = read("/policy/cases/" + file);
            JsonNode base = doc.get("base");
            for (JsonNode c : doc.get("cases")) {
                ObjectNode json = (ObjectNode) (c.has("resource") ? c.get("resource") : base).deepCopy();
                ObjectNode attrs = (ObjectNode) json.get("attributes");
                if (c.has("set")) {
                    c.get("set").fields().forEachRemaining(e -> attrs.set(e.getKey(), e.getValue()));
                }
                if (c.has("remove")) {
                    c.get("remove").forEach(k -> attrs.remove(k.asText()));
                }
                if (c.has("tags")) {
                    ((ObjectNode) json.get("tags")).setAll((ObjectNode) c.get("tags"));
                }
                Resource r = ModelJson.mapper().convertValue(json, Resource.class);
                out.add(new Case(file, c.get("name").asText(), c.get("rule").asText(),
                        "fail".equals(c.get("expect").asText()), r));
            }
        }
        return out;
    }

    private static JsonNode read(String path) {
        try (InputStream in = BuiltInRulesTest.class.getResourceAsStream(path)) {
            return ModelJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleOutcomeMatchesTheCase(Case c) {
        List<Finding> findings = ENGINE.evaluate(c.resource());

        assertThat(findings).as("no rule may ERROR on a well-formed resource")
                .noneMatch(f -> f.status() == Finding.Status.ERROR);
        Set<String> failed = findings.stream().map(Finding::ruleId).collect(Collectors.toSet());
        if (c.rule().equals("*")) {
            assertThat(failed).as("every rule passes").isEmpty();
        } else if (c.expectFail()) {
            assertThat(failed).contains(c.rule());
            Finding f = findings.stream().filter(x -> x.ruleId().equals(c.rule())).findFirst().orElseThrow();
            assertThat(f.id()).isEqualTo(Finding.idFor(c.rule(), c.resource().ref()));
            assertThat(f.resource()).isEqualTo(c.resource().ref());
        } else {
            assertThat(failed).doesNotContain(c.rule());
        }
    }

    @Test
    void everyBuiltInRuleHasAPassingAndAFailingCase() {
        List<Case> all = cases();
        Map<String, Set<Boolean>> seen = new HashMap<>();
        for (Case c : all) {
            if (!c.rule().equals("*")) {
                seen.computeIfAbsent(c.rule(), k -> new HashSet<>()).add(c.expectFail());
            }
        }
        for (Rule r : PolicyLoader.builtIn()) {
            assertThat(seen.get(r.id())).as("cases for " + r.id()).containsExactlyInAnyOrder(true, false);
        }
        assertThat(seen.keySet()).as("cases only name real rules")
                .isSubsetOf(PolicyLoader.builtIn().stream().map(Rule::id).toList());
    }

    @Test
    void thePackCoversEveryNormalizedTypeWithAtLeastTwentyRules() {
        List<Rule> rules = PolicyLoader.builtIn();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(20);
        assertThat(rules.stream().flatMap(r -> r.resourceTypes().stream()).distinct())
                .containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.title()).isNotBlank();
            assertThat(r.source()).isEqualTo("classpath:/rules/builtin.yaml");
            assertThat(r.controls()).allMatch(c -> c.matches("CIS (AWS|Azure|GCP) \\d+(\\.\\d+)*|AWS FSBP [A-Z0-9]+\\.\\d+|MCSB [A-Z]+-\\d+"));
        });
        assertThat(rules.stream().flatMap(r -> r.remediation().stream()).map(x -> x.action()).distinct())
                .contains("storage.bucket/block-public-access", "storage.bucket/enable-encryption",
                        "network.firewall/revoke-internet-ingress", "identity.key/deactivate",
                        "kms.key/enable-rotation");
    }

    @Test
    void aResourceWithEmptyAttributesNeverErrors() {
        for (String type : ResourceTypes.ALL) {
            Resource bare = Resource.builder().cloud(io.cloudwarden.model.Cloud.AWS).type(type).id("bare-" + type)
                    .build();
            assertThat(ENGINE.evaluate(bare)).as(type).isEmpty();
        }
    }

    /** docs/RULES.md documents every built-in rule with its type, severity and controls. */
    @Test
    void rulesDocumentationListsEveryBuiltInRule() throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("docs/RULES.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/RULES.md above " + java.nio.file.Path.of("").toAbsolutePath()).isNotNull();
        String doc = java.nio.file.Files.readString(dir.resolve("docs/RULES.md"));
        for (Rule r : PolicyLoader.builtIn()) {
            String controls = r.controls().isEmpty() ? "—" : String.join(", ", r.controls());
            assertThat(doc).contains("| `" + r.id() + "` | `" + String.join(", ", r.resourceTypes()) + "` | "
                    + r.severity().id() + " | " + r.title() + " | " + controls + " |");
        }
    }

    /** Prints throughput of the whole pack (no assertion on time: machines differ). */
    @Test
    void throughputOfTheWholePackIsReported() {
        List<Resource> sample = cases().stream().map(Case::resource).toList();
        List<Resource> many = Stream.generate(() -> sample).limit(20_000 / sample.size() + 1)
                .flatMap(List::stream).toList();
        ENGINE.evaluateAll(many); // warm-up
        long t0 = System.nanoTime();
        Evaluation e = ENGINE.evaluateAll(many);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(e.resourcesEvaluated()).isEqualTo(many.size());
        System.out.printf("built-in pack: %d resources, %d rule evaluations in %.3f s = %.0f resources/s%n",
                e.resourcesEvaluated(), e.rulesApplied(), seconds, e.resourcesEvaluated() / seconds);
    }
}
