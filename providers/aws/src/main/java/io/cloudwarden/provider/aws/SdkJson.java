package io.cloudwarden.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * SDK model objects → JSON using the SDK's own field metadata, so the {@code raw} evidence carries AWS's member
 * names ({@code GroupId}, {@code IpPermissions}, …) and normalizers read one stable shape. Timestamps become ISO-8601
 * strings; binary fields are dropped (never needed, and may be sensitive).
 */
public final class SdkJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SdkJson() {
    }

    public static ObjectNode toJson(SdkPojo pojo) {
        ObjectNode out = F.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            JsonNode node = value(value);
            if (node != null) {
                out.set(field.memberName(), node);
            }
        }
        return out;
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof SdkPojo p) {
            return toJson(p);
        }
        if (v instanceof Collection<?> c) {
            // The SDK returns "auto construct" empty lists for absent members: keep them as [] (harmless).
            ArrayNode arr = F.arrayNode();
            for (Object o : c) {
                JsonNode n = value(o);
                arr.add(n == null ? F.nullNode() : n);
            }
            return arr;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode obj = F.objectNode();
            m.forEach((k, val) -> {
                JsonNode n = value(val);
                obj.set(String.valueOf(k), n == null ? F.nullNode() : n);
            });
            return obj;
        }
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Double d) {
            return F.numberNode(d);
        }
        if (v instanceof Float f) {
            return F.numberNode(f);
        }
        if (v instanceof BigDecimal bd) {
            return F.numberNode(bd);
        }
        if (v instanceof Instant t) {
            return F.textNode(t.toString());
        }
        if (v instanceof SdkBytes) {
            return null;
        }
        return F.textNode(v.toString());
    }
}
