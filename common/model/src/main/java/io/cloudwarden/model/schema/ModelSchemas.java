package io.cloudwarden.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model's JSON Schemas (draft 2020-12, bundled under {@code /schemas}), compiled once and cached: compiling a
 * schema is far more expensive than validating with it, and {@link Schema} is thread-safe.
 *
 * <p>Validation takes the model's own Jackson 2 tree: the validator's 2.0.x line is built on Jackson 2 (its 3.x
 * line moved to Jackson 3, which would need a text round trip per validated value and a second Jackson on the
 * class path). Package-private so the validator library's types never leak into the model's public API.
 */
final class ModelSchemas {
    static final String SNAPSHOT = "/schemas/snapshot.v1.json";
    static final String ID_PREFIX = "https://cloudwarden.io/schemas/";
    static final String RESOURCE = ID_PREFIX + "snapshot.v1.json#/$defs/resource";
    /** The {@code $id} of {@link #SNAPSHOT}. */
    static final String SNAPSHOT_ID = ID_PREFIX + "snapshot.v1.json";

    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();
    /** The fast path of each schema ({@link SchemaProof}); empty where it does not compile. */
    private static final Map<String, Optional<SchemaProof>> PROOFS = new ConcurrentHashMap<>();

    private ModelSchemas() {
    }

    /** The validator's registry, built on first use (a valid snapshot never needs it; see {@link SchemaProof}). */
    private static final class Registry {
        private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .pathType(PathType.JSON_POINTER)
                                .formatAssertionsEnabled(true)
                                .build())
                        // the snapshot schema $refs each type schema by its $id: serve them from the jar, never the web
                        .schemaIdResolvers(r -> r.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    }

    static Schema snapshot() {
        return load(SNAPSHOT);
    }

    /**
     * One element of a snapshot's {@code resources} ({@code snapshot.v1.json#/$defs/resource}, which applies the
     * type schemas): what a streaming reader validates resource by resource, with the same keywords and messages
     * as validating the whole document.
     */
    static Schema resource() {
        return CACHE.computeIfAbsent(RESOURCE, loc -> Registry.REGISTRY.getSchema(SchemaLocation.of(loc)));
    }

    /**
     * The {@link SchemaProof} of the schema with this {@code $id} (and fragment), compiled once; empty when the
     * schema uses something it does not handle, in which case callers validate with networknt alone.
     */
    static Optional<SchemaProof> proof(String id) {
        return PROOFS.computeIfAbsent(id, i -> {
            try {
                return Optional.of(SchemaProof.compile(i));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** The {@code $id} of a normalized type's attribute schema. */
    static String typeSchemaId(String type) {
        return ID_PREFIX + "types/" + type + ".json";
    }

    /**
     * Validates a JSON tree against the bundled schema with this {@code $id} (and fragment): a value its
     * {@link SchemaProof} shows valid has no violations and costs one walk of its tree; anything else is validated by
     * networknt, which words every violation. networknt (its registry, the compiled schemas) is not even loaded
     * while every value is proven valid, which is most of what a short {@code check} of a valid snapshot saves.
     */
    static List<Violation> validate(String id, JsonNode json) {
        Optional<SchemaProof> proof = proof(id);
        if (proof.isPresent() && proof.get().provesValid(json)) {
            return List.of();
        }
        return validate(id.equals(RESOURCE) ? resource() : load("/schemas/" + id.substring(ID_PREFIX.length())), json);
    }

    static Schema load(String classpathLocation) {
        return CACHE.computeIfAbsent(classpathLocation, loc -> {
            try (InputStream in = ModelSchemas.class.getResourceAsStream(loc)) {
                if (in == null) {
                    throw new IllegalStateException("schema " + loc + " is missing from the classpath");
                }
                return Registry.REGISTRY.getSchema(in, InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + loc, e);
            }
        });
    }

    /** Validates a JSON tree; every violation's pointer is relative to the tree's root. */
    static List<Violation> validate(Schema schema, JsonNode json) {
        List<Error> errors = schema.validate(json);
        List<Violation> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String pointer = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            if (pointer.equals("/")) {
                pointer = "";
            }
            if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
                pointer = pointer + "/" + escape(e.getProperty());
            }
            out.add(new Violation(pointer, e.getKeyword(), expectation(e)));
        }
        return out;
    }

    /** The validator's message without its leading location (we print the pointer ourselves). */
    private static String expectation(Error e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        String loc = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        if (!loc.isEmpty() && msg.startsWith(loc + ": ")) {
            msg = msg.substring(loc.length() + 2);
        }
        if (("enum".equals(e.getKeyword()) || "const".equals(e.getKeyword())) && e.getInstanceNode() != null) {
            msg = msg + " but was " + e.getInstanceNode();
        }
        return msg;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
