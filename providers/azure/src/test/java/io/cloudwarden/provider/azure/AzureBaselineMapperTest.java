package io.cloudwarden.provider.azure;

import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.azure.baseline.AzureBaselineMapper;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tfstate describes the same estate the recorded ARM responses serve. */
class AzureBaselineMapperTest {
    private static RecordedArm arm;
    private static Map<String, Resource> observed;

    @BeforeAll
    static void collect() {
        arm = new RecordedArm().estate();
        try (AzureSession session = new AzureSession(arm.config(List.of(SUB)))) {
            observed = Estate.all(session, SUB).stream()
                    .collect(Collectors.toMap(Resource::matchKey, Function.identity()));
        }
    }

    @AfterAll
    static void stop() {
        arm.close();
    }

    static JsonNode state() throws Exception {
        try (InputStream in = AzureBaselineMapperTest.class.getResourceAsStream("/terraform/estate.tfstate")) {
            return ModelJson.mapper().readTree(in);
        }
    }

    /** Flattens a format-4 state into managed-resource instances, as the engine does. */
    static List<TerraformInstance> instances(JsonNode state) {
        List<TerraformInstance> out = new ArrayList<>();
        for (JsonNode r : state.path("resources")) {
            if (!r.path("mode").asText().equals("managed")) {
                continue;
            }
            for (JsonNode i : r.path("instances")) {
                String address = r.path("type").asText() + "." + r.path("name").asText()
                        + (i.has("index_key") ? "[" + i.path("index_key") + "]" : "");
                out.add(new TerraformInstance(address, r.path("type").asText(), r.path("name").asText(),
                        r.path("provider").asText(), i.path("attributes")));
            }
        }
        return out;
    }

    /** Attribute paths (top-level names) whose baseline value differs from the observed one, by resource name. */
    static Map<String, List<String>> differences(BaselineResult baseline) {
        Map<String, List<String>> diff = new TreeMap<>();
        for (Resource expected : baseline.resources()) {
            Resource actual = observed.get(expected.matchKey());
            assertThat(actual).as("observed resource for " + expected.id()).isNotNull();
            Iterator<Map.Entry<String, JsonNode>> it = expected.attributes().fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().equals(actual.attributes().get(e.getKey()))) {
                    diff.computeIfAbsent(expected.name(), k -> new ArrayList<>()).add(e.getKey());
                }
            }
        }
        return diff;
    }

    private static JsonNode resource(JsonNode state, String type, String name) {
        for (JsonNode r : state.path("resources")) {
            if (r.path("type").asText().equals(type) && r.path("name").asText().equals(name)) {
                return r.path("instances").get(0).path("attributes");
            }
        }
        throw new AssertionError(type + "." + name);
    }

    @Test
    void unchangedStateMapsToExactlyTheObservedEstate() throws Exception {
        BaselineResult baseline = new AzureBaselineMapper().map(instances(state()));

        assertThat(baseline.resources()).extracting(Resource::name).containsExactlyInAnyOrder("cwlogsprod",
                "cwdataprod", "web-nsg", "web-01", "cmk-storage", "legacy-signing");
        assertThat(differences(baseline)).isEmpty();
        assertThat(baseline.notCompared()).singleElement()
                .satisfies(n -> assertThat(n.address()).isEqualTo("azurerm_resource_group.prod"));
        Resource logs = baseline.resources().stream().filter(r -> r.name().equals("cwlogsprod")).findFirst()
                .orElseThrow();
        assertThat(logs.attributes().get("publicAccess").asBoolean()).isTrue();
        assertThat(logs.attributes().has("logging")).as("the state cannot know diagnostic settings").isFalse();
        assertThat(logs.account()).isEqualTo(SUB);
    }

    @Test
    void plantedDriftShowsUpInExactlyTheChangedAttributes() throws Exception {
        JsonNode state = state();
        ((ObjectNode) resource(state, "azurerm_storage_account", "logs")).put("min_tls_version", "TLS1_2");
        ((ObjectNode) resource(state, "azurerm_storage_container", "assets")).put("container_access_type", "private");
        ((ObjectNode) resource(state, "azurerm_network_security_group", "web").path("security_rule").get(0))
                .put("destination_port_range", "2222");
        ((ObjectNode) resource(state, "azurerm_linux_virtual_machine", "web")).put("public_ip_address", "");
        ((ObjectNode) resource(state, "azurerm_key_vault_key", "cmk").path("rotation_policy").get(0)
                .path("automatic").get(0)).put("time_after_creation", "P180D");

        Map<String, List<String>> diff = differences(new AzureBaselineMapper().map(instances(state)));

        assertThat(diff).containsOnly(
                Map.entry("cwlogsprod", List.of("publicAccess", "minTlsVersion")),
                Map.entry("web-nsg", List.of("rules", "internetIngress")),
                Map.entry("web-01", List.of("publicIp")),
                Map.entry("cmk-storage", List.of("rotationPeriodDays")));
    }

    @Test
    void everyTerraformTypeATypeDeclaresIsMapped() {
        String id = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Test/things/x";
        for (AzureType t : AzureProvider.TYPES) {
            for (String tf : t.terraformTypes()) {
                ObjectNode a = ModelJson.mapper().createObjectNode().put("id", id).put("resource_id", id)
                        .put("name", "x");
                TerraformInstance alone = new TerraformInstance(tf + ".x", tf, "x",
                        "registry.terraform.io/hashicorp/azurerm", a);
                assertThat(new AzureBaselineMapper().map(List.of(alone)).notCompared()).as(tf)
                        .noneMatch(n -> n.reason().contains("is not mapped by the Azure provider"));
            }
        }
        TerraformInstance unknown = new TerraformInstance("azurerm_redis_cache.r", "azurerm_redis_cache", "r",
                "registry.terraform.io/hashicorp/azurerm", ModelJson.mapper().createObjectNode());
        assertThat(new AzureBaselineMapper().map(List.of(unknown)).notCompared()).singleElement()
                .satisfies(n -> assertThat(n.reason()).contains("is not mapped by the Azure provider"));
    }
}
