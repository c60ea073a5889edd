package io.cloudwarden.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/** Small null-safe readers over native JSON (missing and JSON null are treated alike). */
public final class Json {
    public static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    public static Optional<String> text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() ? Optional.empty()
                : Optional.of(n.asText()).filter(s -> !s.isEmpty());
    }

    public static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && (n.isBoolean() ? n.booleanValue() : "true".equalsIgnoreCase(n.asText()));
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isMissingNode() ? null : n;
    }

    public static Iterable<JsonNode> array(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isArray() ? n : F.arrayNode();
    }

    public static JsonNode textOrNull(Optional<String> v) {
        return v.<JsonNode>map(F::textNode).orElse(F.nullNode());
    }
}
