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

    @Test
    void streamsResourcesInDocumentOrderAndReturnsTheEnvelope() throws Exception {
        java.util.List<Resource> seen = new java.util.ArrayList<>();

        SnapshotReader.Header h = SnapshotReader.stream(fixture("valid.json"), SnapshotReader.Raw.KEEP, seen::add);

        assertThat(seen).isEqualTo(SnapshotReader.read(fixture("valid.json")).resources());
        assertThat(h.takenAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(h.resources()).isEqualTo(3);
        assertThat(h.partial()).isTrue();
    }

    @Test
    void skippingRawDropsOnlyTheEvidence() throws Exception {
        Snapshot kept = SnapshotReader.read(fixture("valid.json"));
        Snapshot skipped = SnapshotReader.read(fixture("valid.json"), SnapshotReader.Raw.SKIP);

        assertThat(kept.resources()).anySatisfy(r -> assertThat(r.raw().isEmpty()).isFalse());
        assertThat(skipped.resources()).allSatisfy(r -> assertThat(r.raw().isEmpty()).isTrue());
        assertThat(skipped.resources()).hasSameSizeAs(kept.resources());
        for (int i = 0; i < kept.resources().size(); i++) {
            assertThat(skipped.resources().get(i))
                    .isEqualTo(kept.resources().get(i).toBuilder().raw(null).build());
        }
    }

    @Test
    void everyResourcesViolationsAreCollectedWithTheirPointersAndNothingIsHandedOnAfterTheFirst(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("two-bad.json");
        Files.writeString(file, """
                {"schema":"cloudwarden/snapshot/v1","takenAt":"2026-11-23T10:00:00Z","resources":[
                 {"cloud":"aws","type":"kms.key","id":"k1","attributes":{"enabled":true,"rotationEnabled":true,
                  "rotationPeriodDays":90}},
                 {"cloud":"aws","type":"kms.key","id":"k2","attributes":{"enabled":"yes","rotationEnabled":true,
                  "rotationPeriodDays":90}},
                 {"cloud":"aws","type":"kms.key","id":"k3","attributes":{"enabled":true,"rotationEnabled":true,
                  "rotationPeriodDays":90}},
                 {"cloud":"oracle","type":"kms.key","id":"k4","attributes":{"enabled":true,"rotationEnabled":true,
                  "rotationPeriodDays":90}}],"errors":[]}""");
        java.util.List<Resource> seen = new java.util.ArrayList<>();

        assertThatThrownBy(() -> SnapshotReader.stream(file, SnapshotReader.Raw.SKIP, seen::add))
                .isInstanceOf(ModelValidationException.class)
                .satisfies(e -> assertThat(((ModelValidationException) e).violations()).extracting(Violation::pointer)
                        .containsExactly("/resources/1/attributes/enabled", "/resources/3/cloud"));
        assertThat(seen).extracting(Resource::id).containsExactly("k1");
    }

    @Test
    void contentAfterTheSnapshotObjectIsASyntaxErrorWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trailing.json");
        Files.writeString(file, Files.readString(fixture("valid.json")).strip() + "\n{}\n");

        assertThatThrownBy(() -> SnapshotReader.read(file))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("trailing.json: malformed JSON at line")
                .hasMessageContaining("after the end of the snapshot object");
    }

    @Test
    void aDocumentThatIsNotAnObjectIsASchemaViolationAtTheRoot() {
        assertThatThrownBy(() -> SnapshotReader.read(new ByteArrayInputStream("[1, 2]".getBytes(
                StandardCharsets.UTF_8)), "list.json"))
                .isInstanceOf(ModelValidationException.class)
                .hasMessage("list.json: /: array found, object expected");
    }

    @Test
    void writingAFileStreamsTheSameBytesAsToBytes(@TempDir Path dir) throws Exception {
        Snapshot s = SnapshotReader.read(fixture("valid.json"));
        Path out = dir.resolve("out.json");

        SnapshotWriter.write(s, out);

        assertThat(Files.readAllBytes(out)).isEqualTo(SnapshotWriter.toBytes(s));
    }

    @Test
    void theStoredCopyIsTheSameJsonWithoutIndentation(@TempDir Path dir) throws Exception {
        Snapshot s = SnapshotReader.read(fixture("valid.json"));
        byte[] compact = SnapshotWriter.toCompactBytes(s);
        Path stored = dir.resolve("stored.json");
        Files.write(stored, compact);

        assertThat(new String(compact, StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain("  ");
        assertThat(compact.length).isLessThan(SnapshotWriter.toBytes(s).length);
        assertThat(ModelJson.mapper().readTree(compact))
                .isEqualTo(ModelJson.mapper().readTree(SnapshotWriter.toBytes(s)));
        assertThat(SnapshotReader.read(stored)).isEqualTo(s);
    }
}
