package io.cloudwarden.engine.properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Values generated from the model's JSON Schemas ({@code common/model} {@code schemas/types/<type>.json}), so the
 * properties cover every attribute a schema allows and follow the schemas when they change. Handles the keywords
 * those schemas use: {@code type} (one or a list), {@code enum}, {@code properties}/{@code required},
 * {@code items}, {@code $ref} to {@code #/$defs/…}, {@code minimum}/{@code maximum}, {@code minLength},
 * {@code format: date-time}. Optional properties are sometimes left out.
 */
final class SchemaArbitraries {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> TYPES = List.of(ResourceTypes.STORAGE_BUCKET, ResourceTypes.NETWORK_FIREWALL,
            ResourceTypes.COMPUTE_INSTANCE, ResourceTypes.IDENTITY_USER, ResourceTypes.IDENTITY_KEY,
            ResourceTypes.KMS_KEY);

    private SchemaArbitraries() {
    }

    static List<String> types() {
        return TYPES;
    }

    static JsonNode schema(String type) {
        try (InputStream in = SchemaArbitraries.class.getResourceAsStream("/schemas/types/" + type + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no schema for " + type);
            }
            return ModelJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Schema-valid attributes of {@code type}. */
    static Arbitrary<ObjectNode> attributes(String type) {
        JsonNode root = schema(type);
        return of(root, root).map(n -> (ObjectNode) n);
    }

    /** A schema-valid resource of any type on any cloud, with a few tags. */
    static Arbitrary<Resource> resources() {
        return Arbitraries.of(TYPES).flatMap(type -> resource(type, Arbitraries.strings().alpha().ofLength(6)));
    }

    static Arbitrary<Resource> resource(String type, Arbitrary<String> ids) {
        Arbitrary<Map<String, String>> tags = Arbitraries.maps(Arbitraries.of("env", "owner", "cloudwarden:exempt",
                "team/x~y"), Arbitraries.of("prod", "dev", "true", "")).ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(Cloud.values()), ids, attributes(type), tags)
                .as((cloud, id, attrs, t) -> Resource.builder().cloud(cloud).account("acct-1").region("r1")
                        .type(type).id(id).name(id).nativeType("native").attributes(attrs).tags(t)
                        .observedAt(Instant.parse("2026-11-23T10:00:00Z")).build());
    }

    private static Arbitrary<JsonNode> of(JsonNode s, JsonNode root) {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("$ref: only local references are generated, got " + ref);
            }
            return of(root.at(ref.substring(1)), root);
        }
        if (s.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            s.get("enum").forEach(values::add);
            return Arbitraries.of(values);
        }
        JsonNode type = s.path("type");
        if (type.isArray()) {
            List<Arbitrary<JsonNode>> options = new ArrayList<>();
            for (JsonNode t : type) {
                options.add(ofType(t.asText(), s, root));
            }
            return Arbitraries.oneOf(options);
        }
        if (type.isTextual()) {
            return ofType(type.asText(), s, root);
        }
        throw new IllegalArgumentException("schema without type or enum: " + s);
    }

    private static Arbitrary<JsonNode> ofType(String type, JsonNode s, JsonNode root) {
        return switch (type) {
            case "null" -> Arbitraries.just(F.nullNode());
            case "boolean" -> Arbitraries.of(true, false).map(F::booleanNode);
            case "integer" -> Arbitraries.integers().between(s.path("minimum").asInt(-1000),
                    s.path("maximum").asInt(100_000)).map(i -> (JsonNode) F.numberNode(i));
            case "string" -> "date-time".equals(s.path("format").asText())
                    ? Arbitraries.longs().between(0, 4_102_444_800L).map(t -> F.textNode(Instant.ofEpochSecond(t)
                            .toString()))
                    : Arbitraries.strings().withCharRange(' ', '~').ofMinLength(s.path("minLength").asInt(0))
                            .ofMaxLength(12).map(F::textNode);
            case "array" -> of(s.get("items"), root).list().ofMaxSize(3).map(items -> {
                ArrayNode a = F.arrayNode();
                items.forEach(a::add);
                return a;
            });
            case "object" -> object(s, root);
            default -> throw new IllegalArgumentException("type " + type + " is not generated");
        };
    }

    private static Arbitrary<JsonNode> object(JsonNode s, JsonNode root) {
        List<String> required = new ArrayList<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        List<String> names = new ArrayList<>();
        List<Arbitrary<JsonNode>> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            names.add(p.getKey());
            Arbitrary<JsonNode> v = of(p.getValue(), root);
            // an optional property is absent a third of the time (a Java null marks "left out")
            values.add(required.contains(p.getKey()) ? v : v.injectNull(0.33));
        }
        if (names.isEmpty()) {
            return Arbitraries.just(F.objectNode());
        }
        return Combinators.combine(values).as(vs -> {
            ObjectNode o = F.objectNode();
            for (int i = 0; i < names.size(); i++) {
                if (vs.get(i) != null) {
                    o.set(names.get(i), vs.get(i));
                }
            }
            return o;
        });
    }
}
