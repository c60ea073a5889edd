package io.cloudwarden.model.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@code cloudwarden/snapshot/v1} document, strictly: the JSON must parse, match {@code snapshot.v1.json},
 * and every resource's {@code attributes} must match its type's schema (the snapshot schema applies the type schemas
 * itself, so a 100k-resource snapshot is validated in one pass and bound in one streaming pass, with no
 * intermediate tree). Any failure is a
 * {@link ModelValidationException} naming the source, the JSON pointer of the field and what was expected, so a
 * hand-edited approved snapshot fails loudly instead of producing phantom drift.
 */
public final class SnapshotReader {
    private SnapshotReader() {
    }

    public static Snapshot read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new ModelValidationException(file.toString(), "cannot read file: " + e.getMessage(), e);
        }
    }

    public static Snapshot read(InputStream in, String sourceName) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": cannot read", e);
        }
        if (new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).isBlank()) {
            parse(bytes, sourceName); // throws the "empty document" error
        }
        // 1. one validation pass against snapshot.v1.json, which applies each resource's type schema to its
        //    attributes (if/then on "type"); a syntax error is re-reported below by Jackson 2 with line and column
        List<Violation> violations;
        try {
            violations = ModelSchemas.validate(ModelSchemas.snapshot(), new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException syntax) {
            parse(bytes, sourceName);
            throw new ModelValidationException(sourceName, "malformed JSON: " + syntax.getMessage(), syntax);
        }
        if (!violations.isEmpty()) {
            throw new ModelValidationException(sourceName, violations);
        }
        // 2. bind in one streaming pass (no intermediate tree: snapshots can hold 100k resources)
        Snapshot snapshot;
        try {
            snapshot = ModelJson.mapper().readValue(bytes, Snapshot.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelValidationException(sourceName, "not a valid snapshot: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": cannot read", e);
        }
        return snapshot;
    }

    /** Parses JSON; a syntax error names the source, line and column. */
    static JsonNode parse(byte[] bytes, String sourceName) {
        try {
            JsonNode tree = ModelJson.mapper().readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new ModelValidationException(sourceName, List.of(new Violation("", "type",
                        "expected a JSON object but the document is empty")));
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ModelValidationException(sourceName,
                    "malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": cannot read", e);
        }
    }
}
