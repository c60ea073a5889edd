package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.METRICS_BATCH;
import static io.cloudwarden.provider.azure.RecordedArm.SCALE_SETS;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on Azure, from recorded wire JSON: VM scale sets become {@code compute.group} (Resource Graph, paged with
 * {@code $skipToken}; autoscale settings; Flexible and Uniform members) and VMs and members gain their CPU from the
 * Azure Monitor metrics batch API ({@code metrics:getBatch}, 50 resource ids a call, one call per region).
 */
class UtilizationRecordedTest {
    private static final String VMS = RecordedArm.RG + "/providers/Microsoft.Compute/virtualMachines/";
    private RecordedArm arm;
    private AzureSession session;

    @BeforeEach
    void start() {
        arm = new RecordedArm().estate();
        session = new AzureSession(arm.config(List.of(SUB)));
    }

    @AfterEach
    void stop() {
        session.close();
        arm.close();
    }

    private static JsonNode json(String text) throws Exception {
        return ModelJson.mapper().readTree(text);
    }

    @Test
    void aVirtualMachineGainsItsCpuFromOneBatchCall() throws Exception {
        Resource vm = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB).get(0);

        // 288 five-minute periods of one day, 6 without an average: mean and nearest-rank p95 of the other 282
        assertThat(vm.attributes().get("utilization")).isEqualTo(
                json("{\"cpuAvg\": 21.93, \"cpuP95\": 31.81, \"windowDays\": 1, \"samples\": 282}"));
        assertThat(vm.attributes().get("group").isNull()).isTrue();
        arm.server.verify(1, postRequestedFor(urlPathEqualTo(METRICS_BATCH))
                .withQueryParam("metricnamespace", equalTo("Microsoft.Compute/virtualMachines"))
                .withQueryParam("metricnames", equalTo("Percentage CPU"))
                .withQueryParam("aggregation", equalTo("average"))
                .withQueryParam("interval", equalTo("PT5M"))
                .withRequestBody(matchingJsonPath("$.resourceids[0]", equalTo(VMS + "web-01"))));
        assertThat(ResourceValidator.validate(vm)).isEmpty();
    }

    @Test
    void aFlexibleScaleSetMemberNamesItsGroup() throws Exception {
        arm.json(RecordedArm.graph(SUB, "Microsoft.Compute/virtualMachines").withRequestBody(
                matchingJsonPath("$.query", containing("order by id asc"))), "compute/vm-flexible-member.json");
        arm.json(post(urlPathEqualTo(METRICS_BATCH)).withRequestBody(containing("web-vmss_4f1c2a7e")),
                "monitor/batch-web-vmss.json");

        Resource vm = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB).get(0);

        assertThat(vm.attributes().get("group").asText()).isEqualTo(SCALE_SETS + "/web-vmss");
        assertThat(vm.attributes().get("utilization")).isEqualTo(
                json("{\"cpuAvg\": 92.98, \"cpuP95\": 96.58, \"windowDays\": 1, \"samples\": 288}"));
    }

    @Test
    void scaleSetsAreListedAcrossPagesWithCapacityMembersAndLoadSpread() throws Exception {
        List<Resource> groups = Estate.collect(session, ResourceTypes.COMPUTE_GROUP, SUB);

        assertThat(groups).extracting(Resource::name).containsExactly("api-vmss", "web-vmss");
        Resource web = Estate.byName(groups, "web-vmss");
        assertThat(web.id()).isEqualTo(SCALE_SETS + "/web-vmss");
        assertThat(web.region()).isEqualTo("westeurope");
        assertThat(web.tags()).containsEntry("role", "web");
        // autoscale: the smallest minimum and largest maximum over the default and business-hours profiles
        assertThat(web.attributes()).isEqualTo(json("""
                {"capacity": {"min": 2, "max": 10, "desired": 3},
                 "memberIds": ["%1$sweb-vmss_4f1c2a7e", "%1$sweb-vmss_8b3d9e10", "%1$sweb-vmss_c27a5f64"],
                 "utilization": {"cpuAvg": 41.67, "cpuP95": 96.58, "spread": 93.55, "windowDays": 1}}"""
                .formatted(VMS)));
        // Uniform, no autoscale setting: sku.capacity for all three; members are the scale set's instances
        Resource api = Estate.byName(groups, "api-vmss");
        assertThat(api.attributes()).isEqualTo(json("""
                {"capacity": {"min": 2, "max": 2, "desired": 2},
                 "memberIds": ["%1$s/api-vmss/virtualMachines/0", "%1$s/api-vmss/virtualMachines/1"],
                 "utilization": {"cpuAvg": 42.57, "cpuP95": 51.21, "spread": 2.99, "windowDays": 1}}"""
                .formatted(SCALE_SETS)));
        groups.forEach(g -> assertThat(ResourceValidator.validate(g)).isEmpty());
        arm.server.verify(1, postRequestedFor(urlPathEqualTo(METRICS_BATCH)).withQueryParam("metricnamespace",
                equalTo("Microsoft.Compute/virtualMachineScaleSets/virtualMachines")));
        arm.server.verify(1, postRequestedFor(urlPathEqualTo(METRICS_BATCH)).withRequestBody(
                containing("web-vmss_")));
    }

    @Test
    void metricsThatCannotBeReadLeaveUtilizationNullWithTheReasonNeverZero() {
        arm.server.stubFor(post(urlPathEqualTo(METRICS_BATCH)).atPriority(1).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody(RecordedArm.fixture("monitor/error-authorization-failed.json"))));

        Resource vm = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB).get(0);
        Resource web = Estate.byName(Estate.collect(session, ResourceTypes.COMPUTE_GROUP, SUB), "web-vmss");

        assertThat(vm.attributes().get("utilization").isNull()).isTrue();
        assertThat(vm.raw().path("cloudwarden").path("utilizationError").asText()).isEqualTo("AuthorizationFailed");
        assertThat(web.attributes().get("utilization").isNull()).isTrue();
        assertThat(web.attributes().get("memberIds")).hasSize(3);
        assertThat(web.raw().path("cloudwarden").path("utilizationError").asText()).isEqualTo("AuthorizationFailed");
    }

    @Test
    void aScaleSetQueryThatFailsFailsTheShardInsteadOfReportingNoGroups() {
        arm.server.stubFor(RecordedArm.graph(SUB, "microsoft.insights/autoscalesettings").atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("error-authorization-failed.json"))));

        assertThatThrownBy(() -> Estate.collect(session, ResourceTypes.COMPUTE_GROUP, SUB))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.nativeCode()).isEqualTo("AuthorizationFailed"));
    }

    @Test
    void fetchReadsOneScaleSetWithItsMembers() {
        arm.json(RecordedArm.armGet(SCALE_SETS + "/web-vmss"), "compute/vmss-web-get.json");

        var d = new AzureProvider().descriptors().stream().filter(x -> x.type().equals(ResourceTypes.COMPUTE_GROUP))
                .findFirst().orElseThrow();
        var item = d.collector().fetch(session, new ResourceRef(Cloud.AZURE, SUB, "", ResourceTypes.COMPUTE_GROUP,
                SCALE_SETS + "/web-vmss")).orElseThrow();

        assertThat(d.normalizer().normalize(item).attributes().path("capacity").toString())
                .isEqualTo("{\"min\":2,\"max\":10,\"desired\":3}");
        arm.server.verify(postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH)).withRequestBody(matchingJsonPath(
                "$.query", containing("properties.virtualMachineScaleSet.id =~ '" + SCALE_SETS + "/web-vmss'"))));
    }
}
