package io.cloudwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link Attributes} and the JSON Schemas name the same properties: every constant is one, every property has one. */
class AttributesTest {

    @Test
    void everyTypeHasAConstantsClass() {
        Set<String> declared = new TreeSet<>();
        for (Class<?> c : Attributes.class.getDeclaredClasses()) {
            declared.add(constant(c, "TYPE"));
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
    }

    @Test
    void theConstantsAreExactlyTheSchemaProperties() throws Exception {
        for (Class<?> c : Attributes.class.getDeclaredClasses()) {
            String type = constant(c, "TYPE");
            Set<String> fromConstants = new TreeSet<>();
            collect(c, "", fromConstants);
            Set<String> fromSchema = new TreeSet<>();
            try (InputStream in = Attributes.class.getResourceAsStream("/schemas/types/" + type + ".json")) {
                walk(ModelJson.mapper().readTree(in), "", fromSchema);
            }
            assertThat(fromConstants).as("Attributes.%s vs schemas/types/%s.json", c.getSimpleName(), type)
                    .containsExactlyInAnyOrderElementsOf(fromSchema);
        }
    }

    private static void collect(Class<?> c, String prefix, Set<String> out) throws IllegalAccessException {
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("TYPE")
                    && !f.getName().equals("AT")) {
                out.add(prefix + f.get(null));
            }
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            collect(nested, prefix + constant(nested, "AT") + ".", out);
        }
    }

    private static void walk(JsonNode schema, String prefix, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.add(prefix + p.getKey());
            JsonNode v = p.getValue();
            if (v.has("properties")) {
                walk(v, prefix + p.getKey() + ".", out);
            }
            if (v.path("items").has("properties")) {
                walk(v.get("items"), prefix + p.getKey() + "[].", out);
            }
        }
    }

    private static String constant(Class<?> c, String name) {
        try {
            return (String) c.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(c.getName() + " must declare public static String " + name, e);
        }
    }
}
