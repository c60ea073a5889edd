package io.cloudwarden.model.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReaderTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(SnapshotReaderTest.class.getResource("/snapshots/" + name).toURI());
    }

    @Test
    void readsAValidSnapshotIntoTheModel() throws Exception {
        Snapshot s = SnapshotReader.read(fixture("valid.json"));

        assertThat(s.takenAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(s.resources()).extracting(Resource::cloud).containsExactly(Cloud.AWS, Cloud.AZURE, Cloud.GCP);
        Resource sg = s.resources().get(0);
        assertThat(sg.id()).isEqualTo("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc");
        assertThat(sg.tags()).containsEntry("env", "prod");
        assertThat(sg.attributes().at("/rules/1/fromPort").isNull()).isTrue();
        assertThat(s.errors()).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));
        assertThat(s.partial()).isTrue();
    }

    @Test
    void roundTripsTheDesignShapeByteForByte() throws Exception {
        String original = Files.readString(fixture("valid.json"));

        Snapshot s = SnapshotReader.read(fixture("valid.json"));
        String written = new String(SnapshotWriter.toBytes(s), StandardCharsets.UTF_8);

        assertThat(written.strip()).isEqualTo(original.strip());
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Snapshot s = SnapshotReader.read(fixture("valid.json"));
        Path out = dir.resolve("nested/out.json");
        SnapshotWriter.write(s, out);

        assertThat(SnapshotReader.read(out)).isEqualTo(s);
    }

    @Test
    void aWrongAttributeTypeNamesFilePointerAndExpectation() throws Exception {
        assertThatThrownBy(() -> SnapshotReader.read(fixture("bad-attribute.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("bad-attribute.json")
                .hasMessageContaining("/resources/1/attributes/publicAccess")
                .hasMessageContaining("boolean");
    }

    @Test
    void aMissingRequiredAttributeIsPointedAt() throws Exception {
        assertThatThrownBy(() -> SnapshotReader.read(fixture("missing-attribute.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("/resources/0/attributes/internetIngress");
    }

    @Test
    void anUnknownTypeIsRejected() throws Exception {
        assertThatThrownBy(() -> SnapshotReader.read(fixture("unknown-type.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("/resources/2/type")
                .hasMessageContaining("database.table")
                .hasMessageContaining("storage.bucket");
    }

    @Test
    void theSchemaConstAndDateFormatAreEnforced() throws Exception {
        assertThatThrownBy(() -> SnapshotReader.read(fixture("wrong-schema.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("/schema");
        assertThatThrownBy(() -> SnapshotReader.read(fixture("bad-date.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("/takenAt");
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        assertThatThrownBy(() -> SnapshotReader.read(fixture("malformed.json")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("malformed.json")
                .hasMessageContaining("line 4")
                .hasMessageContaining("column");
    }

    @Test
    void anEmptyStreamIsAClearError() {
        assertThatThrownBy(() -> SnapshotReader.read(new ByteArrayInputStream(new byte[0]), "stdin"))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageStartingWith("stdin: ");
    }

    @Test
    void resourceValidatorReportsEveryViolationOfANormalizerOutput() throws Exception {
        var attrs = (com.fasterxml.jackson.databind.node.ObjectNode) ModelJson.mapper().readTree("""
                {"enabled": "yes", "rotationEnabled": true, "rotationPeriodDays": 0, "extra": 1}""");
        Resource r = Resource.builder().cloud(Cloud.AWS).type("kms.key").id("arn:aws:kms:us-east-1:1:key/k")
                .attributes(attrs).build();

        assertThat(ResourceValidator.validate(r)).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/attributes/enabled", "/attributes/rotationPeriodDays");
        assertThat(ResourceValidator.validate(r.toBuilder().attributes(
                (com.fasterxml.jackson.databind.node.ObjectNode) ModelJson.mapper().readTree(
                        "{\"enabled\":true,\"rotationEnabled\":true,\"rotationPeriodDays\":null}")).build()))
                .isEmpty();
    }
}
