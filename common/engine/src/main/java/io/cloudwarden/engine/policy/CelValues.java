package io.cloudwarden.engine.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import io.cloudwarden.model.Resource;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Converts model JSON to the Java values the CEL runtime understands: integers → {@code Long} (CEL {@code int}),
 * other numbers → {@code Double}, strings, booleans, JSON null → CEL {@code null}, objects →
 * {@code map(string, dyn)}, arrays → {@code list(dyn)}.
 *
 * <p>{@link #resource(Resource)} builds the same value as converting {@code ModelJson.mapper().valueToTree(r)}, but
 * straight from the record's fields (and {@code raw} lazily): it skips Jackson's serialize-and-reparse round trip, which would otherwise
 * dominate evaluation time (a test pins that both give the same value).
 */
public final class CelValues {
    private CelValues() {
    }

    /** The value bound to {@code resource}: the resource's model JSON as CEL values. */
    public static Map<String, Object> resource(Resource r) {
        return new ResourceMap(r);
    }

    /**
     * The top level of a resource's model JSON. {@code attributes} and {@code tags} are converted up front (every
     * rule reads them); {@code raw} — the native evidence, often kilobytes and rarely read by rules — is converted
     * on first access only, then kept.
     */
    private static final class ResourceMap extends AbstractMap<String, Object> {
        private static final List<String> KEYS = List.of("cloud", "account", "region", "type", "id", "name",
                "nativeType", "tags", "attributes", "raw", "observedAt");
        private final Resource r;
        private final Object tags;
        private final Object attributes;
        private Object raw;

        ResourceMap(Resource r) {
            this.r = r;
            this.tags = Collections.unmodifiableMap(new HashMap<String, Object>(r.tags()));
            this.attributes = of(r.attributes());
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String k)) {
                return null;
            }
            return switch (k) {
                case "cloud" -> r.cloud().id();
                case "account" -> r.account();
                case "region" -> r.region();
                case "type" -> r.type();
                case "id" -> r.id();
                case "name" -> r.name();
                case "nativeType" -> r.nativeType();
                case "tags" -> tags;
                case "attributes" -> attributes;
                case "raw" -> raw();
                case "observedAt" -> r.observedAt().toString();
                default -> null;
            };
        }

        private Object raw() {
            if (raw == null) {
                raw = of(r.raw());
            }
            return raw;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && KEYS.contains(key);
        }

        @Override
        public int size() {
            return KEYS.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<Entry<String, Object>> entries = new LinkedHashSet<>();
            for (String k : KEYS) {
                entries.add(new SimpleImmutableEntry<>(k, get(k)));
            }
            return Collections.unmodifiableSet(entries);
        }
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
