package io.cloudwarden.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the vendored OCSF schema sources (the ocsf-schema repository at a release tag: {@code dictionary.json},
 * {@code categories.json}, {@code events/}, {@code objects/}, {@code profiles/}, {@code includes/}) into one JSON
 * Schema (draft 2020-12) for one event class. The repository is a dictionary plus class and object definitions,
 * not JSON Schema; this compiler applies the same composition rules as the OCSF schema server:
 *
 * <ul>
 *   <li>a profile's attributes are required only in events that apply it ({@code metadata.profiles});</li>
 *   <li>a class's attributes are those of its {@code extends} chain (base_event → finding → compliance_finding),
 *       a child's settings deep-merged over its parent's, over the dictionary's definition of the attribute;
 *       {@code $include} files (profiles, includes) add their attributes;</li>
 *   <li>an attribute's type is a dictionary scalar type (followed to its base: {@code timestamp_t} → {@code long_t}
 *       → integer) or an object, compiled into {@code $defs} the same way (with its own {@code extends} chain);
 *       {@code is_array} makes it an array;</li>
 *   <li>{@code requirement: required} → JSON Schema {@code required}; every other attribute is optional, and no
 *       attribute outside the class or object is allowed ({@code additionalProperties: false});</li>
 *   <li>an integer enumeration ({@code *_id}) allows only its listed values (dictionary ∪ class/object values);
 *       {@code class_uid} is fixed at category uid × 1000 + class uid and {@code type_uid} at class_uid × 100 +
 *       an {@code activity_id} value;</li>
 *   <li>an object's {@code constraints} ({@code at_least_one}, {@code just_one}) become {@code anyOf} /
 *       {@code oneOf} of {@code required}.</li>
 * </ul>
 *
 * <p>Not checked: the scalar types' regular expressions (OCSF writes them for its Elixir server; several are not
 * portable to the validator's regex engine), {@code max_len} and the pairing of an {@code _id} with its caption
 * sibling (a test checks the siblings it sets).
 */
final class OcsfSchemaCompiler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final JsonNode dictionary;
    private final JsonNode types;
    private final ObjectNode defs = JSON.createObjectNode();
    private java.util.Set<String> profiles = java.util.Set.of();

    /** {@code root} is a classpath folder holding the vendored schema sources, e.g. {@code /ocsf-schema-1.3.0}. */
    OcsfSchemaCompiler(String root) {
        this.root = root;
        JsonNode dict = read("dictionary.json");
        this.dictionary = dict.path("attributes");
        this.types = dict.path("types").path("attributes");
    }

    /** The version the sources declare ({@code version.json}). */
    String version() {
        return read("version.json").path("version").asText();
    }

    /**
     * The JSON Schema of the event class in {@code events/<path>}, e.g. {@code findings/compliance_finding}, for
     * events that apply {@code profiles} ({@code metadata.profiles}): a profile's attributes are required only when
     * the profile is applied, and allowed (optional) otherwise.
     */
    ObjectNode compileClass(String path, java.util.Set<String> profiles) {
        this.profiles = java.util.Set.copyOf(profiles);
        defs.removeAll();
        Deque<JsonNode> chain = new ArrayDeque<>();
        JsonNode cls = read("events/" + path + ".json");
        JsonNode leaf = cls;
        while (true) {
            chain.push(cls);
            String parent = cls.path("extends").asText("");
            if (parent.isEmpty()) {
                break;
            }
            cls = read("events/" + eventFolder(parent) + parent + ".json");
        }
        Map<String, ObjectNode> attributes = new LinkedHashMap<>();
        for (JsonNode c : chain) {
            mergeAttributes(attributes, c.path("attributes"));
        }
        ObjectNode schema = objectSchema(attributes, leaf.path("constraints"));
        int categoryUid = read("categories.json").path("attributes").path(leaf.path("category").asText())
                .path("uid").asInt(-1);
        if (categoryUid < 0) {
            throw new IllegalStateException("unknown category " + leaf.path("category"));
        }
        int classUid = categoryUid * 1000 + leaf.path("uid").asInt();
        ObjectNode props = (ObjectNode) schema.get("properties");
        props.putObject("class_uid").put("const", classUid);
        props.putObject("category_uid").put("const", categoryUid);
        ArrayNode typeUids = props.putObject("type_uid").putArray("enum");
        attributes.get("activity_id").path("enum").fieldNames().forEachRemaining(
                a -> typeUids.add((long) classUid * 100 + Integer.parseInt(a)));
        ObjectNode out = JSON.createObjectNode();
        out.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        out.put("title", "OCSF " + version() + " " + leaf.path("caption").asText() + " (class_uid " + classUid + ")");
        out.setAll(schema);
        out.set("$defs", defs);
        return out;
    }

    /** Base event lives at the top of events/, the others in their category's folder. */
    private static String eventFolder(String name) {
        return switch (name) {
            case "base_event" -> "";
            case "finding" -> "findings/";
            default -> throw new IllegalStateException("no vendored parent class " + name);
        };
    }

    private void mergeAttributes(Map<String, ObjectNode> into, JsonNode attrs) {
        for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$include")) {
                for (JsonNode inc : e.getValue()) {
                    String file = inc.asText();
                    Map<String, ObjectNode> included = new LinkedHashMap<>();
                    mergeAttributes(included, read(file).path("attributes"));
                    boolean inactiveProfile = file.startsWith("profiles/")
                            && !profiles.contains(file.substring("profiles/".length(), file.length() - 5));
                    included.forEach((k, v) -> {
                        if (inactiveProfile) {
                            v.put("requirement", "optional");
                        }
                        into.merge(k, v, (a, b) -> {
                            deepMerge(a, b);
                            return a;
                        });
                    });
                }
                continue;
            }
            ObjectNode base = into.computeIfAbsent(e.getKey(), k -> {
                JsonNode d = dictionary.get(k);
                if (d == null) {
                    throw new IllegalStateException("attribute " + k + " is not in the dictionary");
                }
                return d.deepCopy();
            });
            deepMerge(base, e.getValue());
        }
    }

    private static void deepMerge(ObjectNode base, JsonNode over) {
        over.fields().forEachRemaining(f -> {
            JsonNode cur = base.get(f.getKey());
            if (cur instanceof ObjectNode co && f.getValue().isObject()) {
                deepMerge(co, f.getValue());
            } else {
                base.set(f.getKey(), f.getValue().deepCopy());
            }
        });
    }

    private ObjectNode objectSchema(Map<String, ObjectNode> attributes, JsonNode constraints) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (Map.Entry<String, ObjectNode> a : new TreeMap<>(attributes).entrySet()) {
            props.set(a.getKey(), attributeSchema(a.getKey(), a.getValue()));
            if ("required".equals(a.getValue().path("requirement").asText())) {
                required.add(a.getKey());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        constraint(schema, constraints, "at_least_one", "anyOf");
        constraint(schema, constraints, "just_one", "oneOf");
        return schema;
    }

    private static void constraint(ObjectNode schema, JsonNode constraints, String kind, String keyword) {
        if (constraints.has(kind)) {
            ArrayNode any = schema.putArray(keyword);
            constraints.get(kind).forEach(n -> any.addObject().putArray("required").add(n.asText()));
        }
    }

    private ObjectNode attributeSchema(String name, ObjectNode attr) {
        String type = attr.path("type").asText("");
        ObjectNode one;
        if (type.isEmpty()) {
            throw new IllegalStateException("attribute " + name + " has no type");
        } else if (types.has(type)) {
            one = scalar(type);
            if (name.endsWith("_id") && attr.has("enum") && one.path("type").asText().equals("integer")) {
                ArrayNode values = one.putArray("enum");
                attr.get("enum").fieldNames().forEachRemaining(v -> values.add(Long.parseLong(v)));
            }
        } else {
            defineObject(type);
            one = JSON.createObjectNode().put("$ref", "#/$defs/" + type);
        }
        if (attr.path("@deprecated").isObject()) {
            one.put("deprecated", true);
        }
        if (attr.path("is_array").asBoolean(false)) {
            ObjectNode arr = JSON.createObjectNode().put("type", "array");
            arr.set("items", one);
            return arr;
        }
        return one;
    }

    private ObjectNode scalar(String type) {
        ObjectNode out = JSON.createObjectNode();
        String t = type;
        JsonNode def = types.get(t);
        JsonNode range = null;
        while (def != null && def.has("type")) {
            if (range == null && def.has("range")) {
                range = def.get("range");
            }
            t = def.get("type").asText();
            def = types.get(t);
        }
        switch (t) {
            case "string_t" -> out.put("type", "string");
            case "integer_t", "long_t" -> out.put("type", "integer");
            case "float_t" -> out.put("type", "number");
            case "boolean_t" -> out.put("type", "boolean");
            case "json_t" -> { }
            case "object_t" -> out.put("type", "object");
            default -> throw new IllegalStateException("unknown base type " + t + " (of " + type + ")");
        }
        if (range != null) {
            out.put("minimum", range.get(0).asLong());
            out.put("maximum", range.get(1).asLong());
        }
        return out;
    }

    private void defineObject(String name) {
        if (defs.has(name)) {
            return;
        }
        defs.putObject(name); // placeholder first: objects refer to themselves (process.parent_process)
        Deque<JsonNode> chain = new ArrayDeque<>();
        String n = name;
        JsonNode leaf = null;
        while (!n.isEmpty() && !n.equals("object")) {
            JsonNode o = read("objects/" + n + ".json");
            leaf = leaf == null ? o : leaf;
            chain.push(o);
            n = o.path("extends").asText("");
        }
        Map<String, ObjectNode> attributes = new LinkedHashMap<>();
        JsonNode constraints = JSON.createObjectNode();
        for (JsonNode o : chain) {
            mergeAttributes(attributes, o.path("attributes"));
            if (o.has("constraints")) {
                constraints = o.get("constraints");
            }
        }
        ((ObjectNode) defs.get(name)).setAll(objectSchema(attributes, constraints));
    }

    private JsonNode read(String path) {
        String location = root + "/" + path;
        try (InputStream in = OcsfSchemaCompiler.class.getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException(location + " is not vendored (add it from the ocsf-schema release)");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(location, e);
        }
    }
}
