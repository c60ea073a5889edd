package io.cloudwarden.model.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code cloudwarden/snapshot/v1} document, strictly: the JSON must parse, match {@code snapshot.v1.json},
 * and every resource's {@code attributes} must match its type's schema. Any failure is a
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
        JsonNode tree = parse(bytes, sourceName);
        List<Violation> violations = new ArrayList<>(
                ModelSchemas.validate(ModelSchemas.snapshot(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        if (violations.isEmpty()) {
            JsonNode resources = tree.path("resources");
            for (int i = 0; i < resources.size(); i++) {
                JsonNode r = resources.get(i);
                String prefix = "/resources/" + i;
                for (Violation v : ResourceValidator.validateAttributes(r.path("type").asText(), r.path("attributes"))) {
                    violations.add(v.pointer().equals("/type") ? v.under(prefix) : v.under(prefix + "/attributes"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ModelValidationException(sourceName, violations);
        }
        try {
            return ModelJson.mapper().treeToValue(tree, Snapshot.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelValidationException(sourceName, "not a valid snapshot: " + e.getMessage(), e);
        }
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
