package io.cloudwarden.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLoaderTest {
    @TempDir
    Path dir;

    static final String DESIGN_EXAMPLE = """
            rules:
              - id: storage-no-public-access
                title: Object storage must not allow anonymous reads
                severity: high            # critical | high | medium | low | info
                resource: storage.bucket  # one normalized type or a list
                condition: "!resource.attributes.publicAccess"
                controls: ["CIS AWS 2.1.4", "CIS Azure 3.7", "CIS GCP 5.1"]
                remediation: {action: storage.bucket/block-public-access, mode: approve}
            """;

    @Test
    void readsTheDesignDocumentShape() throws Exception {
        Path f = Files.writeString(dir.resolve("storage.yaml"), DESIGN_EXAMPLE);

        List<Rule> rules = PolicyLoader.load(f);

        assertThat(rules).singleElement().isEqualTo(new Rule("storage-no-public-access",
                "Object storage must not allow anonymous reads", "", Severity.HIGH, List.of("storage.bucket"),
                "!resource.attributes.publicAccess", List.of("CIS AWS 2.1.4", "CIS Azure 3.7", "CIS GCP 5.1"),
                java.util.Optional.of(new RemediationRef("storage.bucket/block-public-access",
                        RemediationRef.Mode.APPROVE)), f.toString()));
    }

    @Test
    void resourceMayBeAListAndOptionalFieldsMayBeOmitted() {
        List<Rule> rules = PolicyLoader.parse("""
                rules:
                  - id: tagged
                    title: Everything must have an owner
                    description: Owners get the alerts.
                    severity: LOW
                    resource: [storage.bucket, compute.instance]
                    condition: "'owner' in resource.tags"
                  - id: notify-only
                    title: t
                    severity: info
                    resource: kms.key
                    condition: "true"
                    remediation: {action: kms.key/enable-rotation}
                """, "inline.yaml");
        assertThat(rules.get(0).resourceTypes()).containsExactly("storage.bucket", "compute.instance");
        assertThat(rules.get(0).severity()).isEqualTo(Severity.LOW);
        assertThat(rules.get(0).description()).isEqualTo("Owners get the alerts.");
        assertThat(rules.get(0).controls()).isEmpty();
        assertThat(rules.get(0).remediation()).isEmpty();
        assertThat(rules.get(1).remediation()).map(RemediationRef::mode).contains(RemediationRef.Mode.NOTIFY);
    }

    @Test
    void aDirectoryLoadsEveryYamlFileInNameOrder() throws Exception {
        Files.writeString(dir.resolve("b.yml"), rule("second"));
        Files.writeString(dir.resolve("a.yaml"), rule("first"));
        Files.writeString(dir.resolve("notes.txt"), "not a rule file");

        assertThat(PolicyLoader.load(dir)).extracting(Rule::id).containsExactly("first", "second");
    }

    @Test
    void duplicateIdsAcrossFilesNameBothFiles() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), rule("same"));
        Path b = Files.writeString(dir.resolve("b.yaml"), rule("same"));

        assertThatThrownBy(() -> PolicyLoader.load(dir))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessage(b + ": rule 'same': duplicate rule id, already defined in " + dir.resolve("a.yaml"))
                .extracting(e -> ((PolicyValidationException) e).ruleId()).isEqualTo("same");
    }

    @Test
    void yamlSyntaxErrorsNameTheFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("broken.yaml"), """
                rules:
                  - id: x
                    title: "unterminated
                    severity: high
                """);
        assertThatThrownBy(() -> PolicyLoader.load(f))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageStartingWith(f + ": invalid YAML at line 3")
                .hasMessageEndingWith("while scanning a quoted scalar; found unexpected end of stream")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingPathsAndEmptyDirectoriesAreReported() {
        assertThatThrownBy(() -> PolicyLoader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml: no such rule file or directory");
        assertThatThrownBy(() -> PolicyLoader.load(dir))
                .hasMessageContaining("no *.yaml or *.yml rule files");
    }

    /** One bad field at a time, on an otherwise valid rule: the message names the rule and what was expected. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            severity: urgent                 | rule 'r': severity: expected one of critical, high, medium, low, info but was 'urgent'
            resource: storage.blob           | rule 'r': unknown resource type 'storage.blob'; expected one of storage.bucket, network.firewall, compute.instance, compute.group, identity.user, identity.key, kms.key
            resource: []                     | rule 'r': missing 'resource'
            condition: 42                    | rule 'r': 'condition' must be a non-empty string but was the number 42
            title: null                      | rule 'r': missing 'title' (a non-empty string)
            severty: high                    | rule 'r': unknown field 'severty'
            controls: {a: b}                 | rule 'r': 'controls' must be a string or a list of strings but was a mapping
            remediation: {action: fix-it}    | rule 'r': 'remediation.action' must look like '<type>/<action>'
            remediation: {action: a/b, mode: yolo} | rule 'r': remediation.mode: expected one of notify, approve, auto but was 'yolo'
            remediation: {action: a/b, when: now}  | rule 'r': unknown field 'remediation.when'
            """)
    void invalidFieldsAreRejectedWithAClearMessage(String override, String expected) {
        String key = override.substring(0, override.indexOf(':'));
        StringBuilder yaml = new StringBuilder("rules:\n  - id: r\n");
        for (String line : List.of("title: T", "severity: high", "resource: storage.bucket", "condition: 'true'")) {
            if (!line.startsWith(key + ":")) {
                yaml.append("    ").append(line).append('\n');
            }
        }
        yaml.append("    ").append(override).append('\n');
        assertThatThrownBy(() -> PolicyLoader.parse(yaml.toString(), "x.yaml"))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageStartingWith("x.yaml: " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                          | file is empty
            "other: 1"                  | expected a top-level 'rules:' list
            "rules: {a: 1}"             | 'rules' must be a list of rules but was a mapping
            "rules: [oops]"             | rules[0]: expected a mapping but was the string 'oops'
            "rules: [{title: t}]"       | rules[0]: missing 'id'
            "rules: [{id: a, id: b}]"   | invalid YAML at line 1
            """)
    void malformedFilesAreRejected(String yaml, String expected) {
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "x.yaml"))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void duplicateIdsInOneFileAreRejected() {
        assertThatThrownBy(() -> PolicyLoader.parse(rule("d") + rule("d").replace("rules:\n", ""), "x.yaml"))
                .hasMessage("x.yaml: rule 'd': duplicate rule id (rules[0] and rules[1])");
    }

    @Test
    void builtInPackLoadsFromTheClasspath() {
        assertThat(PolicyLoader.builtIn()).hasSizeGreaterThanOrEqualTo(20)
                .extracting(Rule::id).doesNotHaveDuplicates();
    }

    private static String rule(String id) {
        return "rules:\n  - id: " + id + "\n    title: T\n    severity: low\n    resource: kms.key\n"
                + "    condition: 'true'\n";
    }
}
