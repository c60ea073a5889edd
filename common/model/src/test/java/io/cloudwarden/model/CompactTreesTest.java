package io.cloudwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactTreesTest {
    /** A bucket's raw as the S3 collector keeps it, plus an object of more fields than a small map holds. */
    static final String RAW = """
            {"GetBucketAcl": {"Owner": {"ID": "abc"}, "Grants": [{"Grantee": {"Type": "Group",
              "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]},
             "GetBucketPolicy": {"Policy": "{\\"Version\\":\\"2012-10-17\\"}"},
             "GetBucketVersioning": {"Status": null, "MFADelete": "Disabled"},
             "GetPublicAccessBlock": {"BlockPublicAcls": false, "IgnorePublicAcls": false, "n": 12, "d": 1.5},
             "wide": {"f00": 0, "f01": 1, "f02": 2, "f03": 3, "f04": 4, "f05": 5, "f06": 6, "f07": 7, "f08": 8,
                      "f09": 9, "f10": 10, "f11": 11, "f12": 12, "f13": 13, "f14": 14, "f15": 15, "f16": 16,
                      "f17": 17},
             "empty": {}, "list": []}
            """;

    @Test
    void theCopyIsTheSameTreeForEveryReader() throws Exception {
        JsonNode original = ModelJson.mapper().readTree(RAW);
        JsonNode copy = CompactTrees.copy(original);

        assertThat(copy).isEqualTo(original);
        assertThat(original).isEqualTo(copy);
        assertThat(copy.hashCode()).isEqualTo(original.hashCode());
        assertThat(ModelJson.mapper().writeValueAsString(copy)).isEqualTo(ModelJson.mapper().writeValueAsString(original));
        assertThat(fieldNames(copy.get("wide"))).isEqualTo(fieldNames(original.get("wide")));
        assertThat(copy.path("GetBucketAcl").path("Grants").get(0).path("Permission").asText()).isEqualTo("READ");
        assertThat(copy.path("GetBucketVersioning").get("Status").isNull()).isTrue();
        assertThat(copy.path("GetBucketVersioning").has("missing")).isFalse();
        assertThat(copy.at("/GetPublicAccessBlock/n").asInt()).isEqualTo(12);
        assertThat((JsonNode) copy.deepCopy()).isEqualTo(original);
    }

    @Test
    void theCopyIsIndependentOfTheOriginalAndStillMutableLikeAnyObjectNode() throws Exception {
        ObjectNode original = (ObjectNode) ModelJson.mapper().readTree(RAW);
        ObjectNode copy = CompactTrees.copy(original);
        ((ObjectNode) original.get("GetBucketPolicy")).put("Policy", "changed");
        assertThat(copy.at("/GetBucketPolicy/Policy").asText()).startsWith("{");

        ObjectNode versioning = (ObjectNode) copy.get("GetBucketVersioning");
        versioning.put("Status", "Enabled").put("Added", true);
        versioning.remove("MFADelete");
        assertThat(fieldNames(versioning)).containsExactly("Status", "Added");
        assertThat(versioning.get("Status").asText()).isEqualTo("Enabled");

        ObjectNode block = (ObjectNode) copy.get("GetPublicAccessBlock");
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext();) {
            if (it.next().getKey().startsWith("Ignore")) {
                it.remove();
            }
        }
        block.retain("BlockPublicAcls", "n");
        assertThat(fieldNames(block)).containsExactly("BlockPublicAcls", "n");
        ObjectNode empty = (ObjectNode) copy.get("empty");
        for (int i = 0; i < 5; i++) {
            empty.put("k" + i, i);
        }
        assertThat(fieldNames(empty)).containsExactly("k0", "k1", "k2", "k3", "k4");
        empty.removeAll();
        assertThat(empty.isEmpty()).isTrue();
    }

    @Test
    void aResourceKeepsCompactCopiesOfItsTrees() throws Exception {
        JsonNode raw = ModelJson.mapper().readTree(RAW);
        Resource r = Resource.builder().cloud(Cloud.AWS).type("storage.bucket").id("arn:aws:s3:::b").raw(raw)
                .attributes((ObjectNode) ModelJson.mapper().readTree("{\"publicAccess\": true}")).build();
        assertThat(r.raw()).isEqualTo(raw).isNotSameAs(raw);
        assertThat(r).isEqualTo(r.toBuilder().build());
        Resource read = ModelJson.mapper().readValue(ModelJson.mapper().writeValueAsBytes(r), Resource.class);
        assertThat(read).isEqualTo(r);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
