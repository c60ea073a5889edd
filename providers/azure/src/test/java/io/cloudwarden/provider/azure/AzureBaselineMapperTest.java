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
                if (!covered(e.getValue(), actual.attributes().get(e.getKey()))) {
                    diff.computeIfAbsent(expected.name(), k -> new ArrayList<>()).add(e.getKey());
                }
            }
        }
        return diff;
    }

    /** The baseline value equals the observed one wherever the baseline has a value (objects leaf by leaf). */
    private static boolean covered(JsonNode expected, JsonNode actual) {
        if (expected.isObject() && actual != null && actual.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!covered(e.getValue(), actual.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
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
                "cwdataprod", "web-nsg", "web-01", "cmk-storage", "legacy-signing", "api-vmss", "web-vmss");
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
        ((ObjectNode) resource(state, "azurerm_linux_virtual_machine_scale_set", "api_vmss")).put("instances", 4);
        ((ObjectNode) resource(state, "azurerm_monitor_autoscale_setting", "web_vmss").path("profile").get(1)
                .path("capacity").get(0)).put("maximum", 8);

        Map<String, List<String>> diff = differences(new AzureBaselineMapper().map(instances(state)));

        assertThat(diff).containsOnly(
                Map.entry("cwlogsprod", List.of("publicAccess", "minTlsVersion")),
                Map.entry("web-nsg", List.of("rules", "internetIngress")),
                Map.entry("web-01", List.of("publicIp")),
                Map.entry("cmk-storage", List.of("rotationPeriodDays")),
                Map.entry("api-vmss", List.of("capacity")),
                Map.entry("web-vmss", List.of("capacity")));
    }

    private static Resource named(BaselineResult b, String name) {
        return b.resources().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void scaleSetsAreGroupsSizedByInstancesOrByTheirAutoscaleSetting() throws Exception {
        JsonNode state = state();
        BaselineResult b = new AzureBaselineMapper().map(instances(state));

        Resource api = named(b, "api-vmss");
        assertThat(api.type()).isEqualTo("compute.group");
        assertThat(api.tags()).containsEntry("role", "api");
        assertThat(api.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":2,\"max\":2,\"desired\":2}}");
        // the autoscale setting's widest range over its profiles; the size is the autoscaler's, not compared
        assertThat(named(b, "web-vmss").attributes().toString()).isEqualTo("{\"capacity\":{\"min\":2,\"max\":10}}");

        // a disabled setting scales nothing: instances is the size
        ((ObjectNode) resource(state, "azurerm_monitor_autoscale_setting", "web_vmss")).put("enabled", false);
        assertThat(named(new AzureBaselineMapper().map(instances(state)), "web-vmss").attributes().toString())
                .isEqualTo("{\"capacity\":{\"min\":3,\"max\":3,\"desired\":3}}");
    }

    @Test
    void theLegacyScaleSetHoldsItsSizeInSkuCapacity() {
        ObjectNode a = ModelJson.mapper().createObjectNode()
                .put("id", "/subscriptions/" + SUB + "/resourceGroups/rg-prod/providers/Microsoft.Compute/"
                        + "virtualMachineScaleSets/old-vmss").put("name", "old-vmss").put("location", "westeurope")
                .put("upgrade_policy_mode", "Manual");
        a.putArray("sku").addObject().put("name", "Standard_F2").put("tier", "Standard").put("capacity", 5);
        a.putObject("tags").put("env", "legacy");
        BaselineResult b = new AzureBaselineMapper().map(List.of(new TerraformInstance(
                "azurerm_virtual_machine_scale_set.old", "azurerm_virtual_machine_scale_set", "old",
                "registry.terraform.io/hashicorp/azurerm", a)));

        assertThat(b.notCompared()).isEmpty();
        assertThat(b.resources()).singleElement().satisfies(r -> {
            assertThat(r.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":5,\"max\":5,\"desired\":5}}");
            assertThat(r.account()).isEqualTo(SUB);
            assertThat(r.tags()).containsEntry("env", "legacy");
        });
    }

    @Test
    void anAutoscaleSettingWhoseTargetIsNotAScaleSetInTheStateIsNotCompared() throws Exception {
        List<TerraformInstance> state = instances(state()).stream()
                .filter(i -> !i.address().equals("azurerm_orchestrated_virtual_machine_scale_set.web_vmss")).toList();
        BaselineResult b = new AzureBaselineMapper().map(state);

        assertThat(b.notCompared()).filteredOn(n -> n.address().equals("azurerm_monitor_autoscale_setting.web_vmss"))
                .singleElement().satisfies(n -> assertThat(n.reason()).contains("web-vmss", "not a scale set"));
    }

    @Test
    void driftComparesTheScaleSetsAndLeavesTheFlexibleMemberToItsSet() throws Exception {
        JsonNode state = state();
        ((ObjectNode) resource(state, "azurerm_monitor_autoscale_setting", "web_vmss").path("profile").get(1)
                .path("capacity").get(0)).put("maximum", 8);
        BaselineResult b = new AzureBaselineMapper().map(instances(state));
        // the observed estate plus web-vmss' Flexible member web-vmss_4f1c2a7e as the VM listing serves it
        List<Resource> live = new ArrayList<>(observed.values());
        try (RecordedArm own = new RecordedArm().estate()) {
            own.json(RecordedArm.graph(SUB, "Microsoft.Compute/virtualMachines").withRequestBody(
                    com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.query",
                            com.github.tomakehurst.wiremock.client.WireMock.containing("order by id asc"))),
                    "compute/vm-flexible-member.json");
            try (AzureSession session = new AzureSession(own.config(List.of(SUB)))) {
                live.addAll(Estate.collect(session, "compute.instance", SUB));
            }
        }

        io.cloudwarden.model.DriftReport r = new io.cloudwarden.engine.drift.DriftEngine().compareToBaseline(
                b.resources(), io.cloudwarden.model.Snapshot.of(java.time.Instant.EPOCH, live, List.of()),
                io.cloudwarden.engine.drift.IgnoreRules.none(), b.notCompared());

        assertThat(r.drift()).filteredOn(d -> d.resource().type().equals("compute.group")).singleElement()
                .satisfies(d -> {
                    assertThat(d.resource().id()).endsWith("/virtualMachineScaleSets/web-vmss");
                    assertThat(d.kind()).isEqualTo(io.cloudwarden.model.ResourceDrift.Kind.CHANGED);
                    assertThat(d.patch()).singleElement().satisfies(c -> {
                        assertThat(c.path()).isEqualTo("/capacity/max");
                        assertThat(c.from().asInt()).isEqualTo(8);
                        assertThat(c.value().asInt()).isEqualTo(10);
                    });
                });
        assertThat(r.drift()).noneMatch(d -> d.resource().id().contains("web-vmss_"));
        assertThat(r.notCompared()).filteredOn(n -> n.address().contains("/virtualMachines/web-vmss_4f1c2a7e"))
                .singleElement().satisfies(n -> assertThat(n.reason()).contains("which the baseline manages"));
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
