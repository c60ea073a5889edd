package io.cloudwarden.model.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a {@code cloudwarden/snapshot/v1} document, strictly: the JSON must parse, match {@code snapshot.v1.json},
 * and every resource's {@code attributes} must match its type's schema. Any failure is a
 * {@link ModelValidationException} naming the source, the JSON pointer of the field and what was expected, so a
 * hand-edited approved snapshot fails loudly instead of producing phantom drift.
 *
 * <p>The document is streamed: one Jackson {@link JsonParser} walks it once; each element of {@code resources} is
 * read as a small tree, validated against the snapshot schema's {@code #/$defs/resource} (which applies the type
 * schema to its attributes), bound, and handed on, so neither the file's bytes nor a tree of the whole document
 * is ever held (a 100,000-resource snapshot is 80 MB of JSON). The envelope ({@code schema}, {@code takenAt},
 * {@code errors}) is validated against the snapshot schema with an empty {@code resources} array. Pointers and
 * messages are those of validating the whole document: violations of every resource are collected (the message
 * lists the first few and counts the rest), and a syntax error anywhere wins over schema violations, as before.
 *
 * <p>{@link Raw#SKIP} drops each resource's {@code raw} evidence right after it is parsed, for callers that never
 * output or read it ({@code check} without rules that read {@code resource.raw}, {@code drift}, {@code diff}).
 */
public final class SnapshotReader {
    /** Whether each resource's {@code raw} evidence is kept in the records read. */
    public enum Raw {
        KEEP,
        /** {@code raw} is parsed (it must be valid JSON) but not kept: the resources carry an empty object. */
        SKIP
    }

    /** The snapshot's envelope, known once its whole document has been streamed. */
    public record Header(String schema, Instant takenAt, List<ScanError> errors, int resources) {
        public Header {
            errors = errors == null ? List.of() : List.copyOf(errors);
        }

        /** True when at least one shard could not be read. */
        public boolean partial() {
            return !errors.isEmpty();
        }
    }

    private SnapshotReader() {
    }

    public static Snapshot read(Path file) {
        return read(file, Raw.KEEP);
    }

    public static Snapshot read(Path file, Raw raw) {
        List<Resource> resources = new ArrayList<>();
        Header h = stream(file, raw, resources::add);
        return new Snapshot(h.schema(), h.takenAt(), resources, h.errors());
    }

    public static Snapshot read(InputStream in, String sourceName) {
        List<Resource> resources = new ArrayList<>();
        Header h = stream(in, sourceName, Raw.KEEP, resources::add);
        return new Snapshot(h.schema(), h.takenAt(), resources, h.errors());
    }

    /**
     * Streams the snapshot's resources to {@code each}, in document order, as they are read and validated, and
     * returns the envelope. When the document turns out invalid the exception comes after some resources may have
     * been handed on: callers act on them only once this method returns.
     */
    public static Header stream(Path file, Raw raw, Consumer<Resource> each) {
        try (InputStream in = Files.newInputStream(file)) {
            return stream(in, file.toString(), raw, each);
        } catch (IOException e) {
            throw new ModelValidationException(file.toString(), "cannot read file: " + e.getMessage(), e);
        }
    }

    public static Header stream(InputStream in, String sourceName, Raw raw, Consumer<Resource> each) {
        ObjectMapper mapper = ModelJson.mapper();
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            return new Streaming(p, sourceName, raw, each).read();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ModelValidationException(sourceName,
                    "malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": cannot read", e);
        }
    }

    /** One pass over one document. */
    private static final class Streaming {
        private final JsonParser p;
        private final String source;
        private final Raw raw;
        private final Consumer<Resource> each;
        private final ObjectMapper mapper = ModelJson.mapper();
        private final List<Violation> resourceViolations = new ArrayList<>();
        private int count;
        private String lastInstantText;
        private Instant lastInstant;

        Streaming(JsonParser p, String source, Raw raw, Consumer<Resource> each) {
            this.p = p;
            this.source = source;
            this.raw = raw;
            this.each = each;
        }

        Header read() throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ModelValidationException(source, List.of(new Violation("", "type",
                        "expected a JSON object but the document is empty")));
            }
            if (first != JsonToken.START_OBJECT) {
                // not a snapshot at all (an array, a string...): let the schema say so, as for any document
                JsonNode whole = mapper.readTree(p);
                endOfDocument();
                throw new ModelValidationException(source,
                        ModelSchemas.validate(ModelSchemas.snapshot(), whole));
            }
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("resources") && value == JsonToken.START_ARRAY) {
                    envelope.putArray("resources"); // validated element by element below
                    resources();
                } else {
                    envelope.set(name, mapper.readTree(p));
                }
            }
            endOfDocument();
            List<Violation> violations = new ArrayList<>();
            List<Violation> errorsViolations = new ArrayList<>();
            // the schema's property order: the envelope's own fields, then resources, then errors
            for (Violation v : ModelSchemas.validate(ModelSchemas.SNAPSHOT_ID, envelope)) {
                (v.pointer().startsWith("/errors") ? errorsViolations : violations).add(v);
            }
            violations.addAll(resourceViolations);
            violations.addAll(errorsViolations);
            if (!violations.isEmpty()) {
                throw new ModelValidationException(source, violations);
            }
            try {
                String schema = envelope.path("schema").asText();
                Instant takenAt = mapper.treeToValue(envelope.get("takenAt"), Instant.class);
                List<ScanError> errors = new ArrayList<>();
                for (JsonNode e : envelope.path("errors")) {
                    errors.add(mapper.treeToValue(e, ScanError.class));
                }
                return new Header(schema, takenAt, errors, count);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new ModelValidationException(source, "not a valid snapshot: " + e.getMessage(), e);
            }
        }

        /**
         * Binds a resource the schema has accepted (so every field present has its schema type) straight from its
         * tree: the attributes and raw trees are taken as they are instead of being re-deserialized through
         * Jackson's bean binding, which took a third of the reading time. Field for field what
         * {@code treeToValue(node, Resource.class)} gives; {@code observedAt} goes through Jackson's own
         * {@link Instant} parsing, once per distinct text (a scan stamps many resources with the same instant).
         */
        private Resource bind(ObjectNode n) throws JsonProcessingException {
            JsonNode tags = n.get("tags");
            java.util.Map<String, String> tagMap = null;
            if (tags != null && !tags.isNull()) {
                tagMap = new java.util.TreeMap<>();
                for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext();) {
                    java.util.Map.Entry<String, JsonNode> e = it.next();
                    tagMap.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
            }
            JsonNode attributes = n.get("attributes");
            return Resource.builder()
                    .cloud(io.cloudwarden.model.Cloud.of(n.get("cloud").asText()))
                    .account(text(n, "account")).region(text(n, "region")).type(text(n, "type")).id(text(n, "id"))
                    .name(text(n, "name")).nativeType(text(n, "nativeType")).tags(tagMap)
                    .attributes(attributes == null || attributes.isNull() ? null : (ObjectNode) attributes)
                    .raw(n.get("raw")).observedAt(instant(n.get("observedAt")))
                    .build();
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        private Instant instant(JsonNode v) throws JsonProcessingException {
            if (v == null || v.isNull()) {
                return null;
            }
            String t = v.asText();
            if (!t.equals(lastInstantText)) {
                lastInstant = mapper.treeToValue(v, Instant.class);
                lastInstantText = t;
            }
            return lastInstant;
        }

        /** The root object is closed: anything but the end of input after it is a syntax error. */
        private void endOfDocument() throws IOException {
            JsonToken after = p.nextToken();
            if (after != null) {
                JsonLocation loc = p.currentTokenLocation();
                throw new ModelValidationException(source, "malformed JSON at line " + loc.getLineNr() + ", column "
                        + loc.getColumnNr() + ": unexpected content after the end of the snapshot object", null);
            }
        }

        private void resources() throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) { // the parser reports a truncated array itself; this is a safety net
                    throw new ModelValidationException(source, "malformed JSON: unexpected end of input in"
                            + " /resources", null);
                }
                int index = count++;
                JsonNode node = mapper.readTree(p);
                if (raw == Raw.SKIP && node instanceof ObjectNode o) {
                    o.remove("raw"); // parsed, checked for syntax, not kept
                }
                List<Violation> found = ModelSchemas.validate(ModelSchemas.RESOURCE, node);
                if (!found.isEmpty()) {
                    String prefix = "/resources/" + index;
                    found.forEach(v -> resourceViolations.add(v.under(prefix)));
                    continue;
                }
                if (!resourceViolations.isEmpty()) {
                    continue; // the document is invalid: keep validating, stop binding
                }
                Resource r;
                try {
                    r = bind((ObjectNode) node);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new ModelValidationException(source, "not a valid snapshot: /resources/" + index + ": "
                            + e.getMessage(), e);
                }
                each.accept(r);
            }
        }
    }
}
