package io.cloudwarden.engine.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import io.cloudwarden.model.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts model JSON to the Java values the CEL runtime understands: integers → {@code Long} (CEL {@code int}),
 * other numbers → {@code Double}, strings, booleans, JSON null → CEL {@code null}, objects →
 * {@code map(string, dyn)}, arrays → {@code list(dyn)}.
 *
 * <p>{@link #resource(Resource)} builds the same value as converting {@code ModelJson.mapper().valueToTree(r)}, but
 * straight from the record's fields: it skips Jackson's serialize-and-reparse round trip, which would otherwise
 * dominate evaluation time (a test pins that both give the same value).
 */
public final class CelValues {
    private CelValues() {
    }

    /** The value bound to {@code resource}: the resource's model JSON as CEL values. */
    public static Map<String, Object> resource(Resource r) {
        Map<String, Object> m = new HashMap<>(16);
        m.put("cloud", r.cloud().id());
        m.put("account", r.account());
        m.put("region", r.region());
        m.put("type", r.type());
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("nativeType", r.nativeType());
        m.put("tags", new HashMap<String, Object>(r.tags()));
        m.put("attributes", of(r.attributes()));
        m.put("raw", of(r.raw()));
        m.put("observedAt", r.observedAt().toString());
        return Collections.unmodifiableMap(m);
    }

    /** Converts one JSON tree (missing node → CEL null). */
    public static Object of(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        switch (n.getNodeType()) {
            case BOOLEAN:
                return n.booleanValue();
            case STRING:
                return n.textValue();
            case NUMBER:
                if (n.isIntegralNumber()) {
                    // BigInteger beyond 64 bits cannot be a CEL int: keep its magnitude as a double
                    return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
                }
                return n.doubleValue();
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode e : n) {
                    l.add(of(e));
                }
                return Collections.unmodifiableList(l);
            }
            case OBJECT: {
                Map<String, Object> m = new HashMap<>(Math.max(4, n.size() * 2));
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), of(e.getValue()));
                }
                return Collections.unmodifiableMap(m);
            }
            case BINARY:
            case POJO:
            default:
                return n.asText();
        }
    }
}
