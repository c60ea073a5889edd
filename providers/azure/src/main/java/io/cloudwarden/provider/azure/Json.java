package io.cloudwarden.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Small null-safe readers over ARM JSON. */
public final class Json {
    private Json() {
    }

    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    /** Follows dotted field names; a missing step yields a MissingNode. */
    public static JsonNode path(JsonNode node, String dotted) {
        JsonNode cur = node == null ? MissingNode.getInstance() : node;
        for (String part : dotted.split("\\.")) {
            cur = cur.path(part);
        }
        return cur;
    }

    public static Optional<String> text(JsonNode node, String dotted) {
        JsonNode n = path(node, dotted);
        return n.isValueNode() && !n.isNull() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }

    public static boolean bool(JsonNode node, String dotted, boolean fallback) {
        JsonNode n = path(node, dotted);
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return Boolean.parseBoolean(n.asText());
        }
        return fallback;
    }

    /** The ARM {@code tags} object as a sorted map (null / absent = empty). */
    public static Map<String, String> tags(JsonNode tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags != null && tags.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = tags.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return out;
    }

    public static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : nodes().arrayNode();
    }
}
