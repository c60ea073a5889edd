package io.cloudwarden.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input exits 2 with one line naming the file, the field or line, and what was expected — and no stack
 * trace (that needs --verbose).
 */
class CliBadInputTest {
    @TempDir
    static Path dir;

    static Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static Stream<Arguments> badInputs() throws IOException {
        Path snapshot = Path.of("../../examples/snapshot.json").toAbsolutePath().normalize();
        Path malformedJson = write("malformed.json", "{\"schema\": \"cloudwarden/snapshot/v1\", \"takenAt\": ");
        Path unknownType = write("unknown-type.json", """
                {"schema":"cloudwarden/snapshot/v1","takenAt":"2026-11-23T10:00:00Z","errors":[],
                 "resources":[{"cloud":"aws","account":"1","region":"us-east-1","type":"storage.bukket","id":"x",
                 "name":"x","nativeType":"AWS::S3::Bucket","tags":{},"attributes":{},"raw":{},
                 "observedAt":"2026-11-23T10:00:00Z"}]}""");
        Path wrongField = write("wrong-field.json", """
                {"schema":"cloudwarden/snapshot/v1","takenAt":"2026-11-23T10:00:00Z","errors":[],
                 "resources":[{"cloud":"aws","account":"1","region":"us-east-1","type":"storage.bucket",
                 "id":"arn:aws:s3:::x","name":"x","nativeType":"AWS::S3::Bucket","tags":{},
                 "attributes":{"publicAccess":"yes","encryption":{"enabled":true,"keyType":"provider-managed"},
                 "versioning":true,"minTlsVersion":null,"logging":true},"raw":{},
                 "observedAt":"2026-11-23T10:00:00Z"}]}""");
        Path badYaml = write("bad.yaml", "rules:\n  - id: x\n    title: [unclosed\n");
        Path badCel = write("bad-cel.yaml", """
                rules:
                  - id: broken-rule
                    title: Broken
                    severity: high
                    resource: storage.bucket
                    condition: "resource.attributes.publicAccess =="
                """);
        Path badRuleType = write("bad-type.yaml", """
                rules:
                  - id: typo-type
                    title: Typo
                    severity: high
                    resource: storage.bukket
                    condition: "true"
                """);
        return Stream.of(
                Arguments.of(new String[] {"check", "--snapshot", dir.resolve("missing.json").toString()},
                        "missing.json"),
                Arguments.of(new String[] {"check", "--snapshot", malformedJson.toString()}, "malformed.json"),
                Arguments.of(new String[] {"check", "--snapshot", unknownType.toString()}, "storage.bukket"),
                Arguments.of(new String[] {"check", "--snapshot", wrongField.toString()},
                        "/resources/0/attributes/publicAccess"),
                Arguments.of(new String[] {"check", "--snapshot", snapshot.toString(), "--policies",
                        badYaml.toString()}, "bad.yaml"),
                Arguments.of(new String[] {"check", "--snapshot", snapshot.toString(), "--policies",
                        badCel.toString()}, "broken-rule"),
                Arguments.of(new String[] {"check", "--snapshot", snapshot.toString(), "--policies",
                        badRuleType.toString()}, "storage.bukket"),
                Arguments.of(new String[] {"check", "--snapshot", snapshot.toString(), "--format", "pdf"}, "pdf"),
                Arguments.of(new String[] {"check", "--snapshot", snapshot.toString(), "--fail-on", "urgent"},
                        "--fail-on"),
                Arguments.of(new String[] {"check", "--bogus"}, "--bogus"),
                Arguments.of(new String[] {"drift", "--baseline", dir.resolve("nope.tfstate").toString(),
                        "--snapshot", snapshot.toString()}, "nope.tfstate"),
                Arguments.of(new String[] {"diff", snapshot.toString(), malformedJson.toString()}, "malformed.json"),
                Arguments.of(new String[] {"event", "--cloud", "oracle", "--file", snapshot.toString(),
                        "--parse-only"}, "--cloud"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneClearLine(String[] args, String named) {
        CliRun run = CliRun.of(args);
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(named);
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }
}
