package io.cloudwarden.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failing finding's message shows attribute values exactly as {@link JsonNode#toString()} writes them. */
class FailMessageValueTextTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void valuesAreWrittenAsJacksonWritesThem() {
        var object = F.objectNode().put("enabled", true).put("keyType", "provider-managed");
        object.putArray("list").add(1).add("two");
        List<JsonNode> values = List.of(F.textNode("plain"), F.textNode("quote \" backslash \\ tab \t newline \n"),
                F.textNode("control \u0001 and unicode é ✓ 𝄞"), F.textNode(""), F.booleanNode(true),
                F.booleanNode(false), F.nullNode(), F.numberNode(42), F.numberNode(-7L), F.numberNode(Long.MAX_VALUE),
                F.numberNode(new BigInteger("123456789012345678901234567890")), F.numberNode((short) 3),
                F.numberNode(1.5), F.numberNode(1e300), object, F.arrayNode().add("a").add(F.nullNode()),
                F.objectNode(), F.arrayNode(), nested(), F.objectNode().put("weird \"key\"\n", "v").put("n", 1.25),
                F.arrayNode().add(1).add(F.numberNode(new java.math.BigDecimal("1.10"))).add(F.binaryNode(new byte[] {1})));

        for (JsonNode v : values) {
            assertThat(PolicyEngine.valueText(v)).as(v.getNodeType().name()).isEqualTo(v.toString());
        }
    }

    private static JsonNode nested() {
        var node = F.objectNode();
        node.putObject("encryption").put("enabled", true).putNull("keyId").putArray("algorithms").add("aws:kms")
                .addObject().put("id", -1).put("tls", "1.2 \u2713");
        node.putArray("empty");
        return node;
    }
}
