package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.gcp.CollectorRecordedTest.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on GCP, from recorded Compute and Cloud Monitoring REST JSON: managed instance groups (zonal and regional,
 * {@code instanceGroupManagers.aggregatedList}, {@code listManagedInstances} paged, {@code autoscalers.aggregatedList})
 * become {@code compute.group}; instances gain {@code utilization} from ONE paged {@code timeSeries.list} per project
 * (series joined by {@code resource.labels.instance_id}, fractions turned into percent) and their {@code group}.
 */
class UtilizationRecordedTest extends RecordedApi {
    static final String COMPUTE = "/compute/v1/projects/" + PROJECT;
    static final String TIME_SERIES = "/v3/projects/" + PROJECT + "/timeSeries";
    static final String WEB_MIG = "//compute.googleapis.com/projects/" + PROJECT
            + "/zones/us-central1-a/instanceGroupManagers/web-mig";
    static final String BATCH_MIG = "//compute.googleapis.com/projects/" + PROJECT
            + "/regions/europe-west1/instanceGroupManagers/batch-mig";

    @BeforeEach
    void estate() {
        stubGroupsAndInstances(wm);
    }

    /** The recorded instances, managed instance groups (members, autoscaler) and CPU series. */
    static void stubGroupsAndInstances(com.github.tomakehurst.wiremock.WireMockServer wm) {
        wm.stubFor(get(urlPathEqualTo(CollectorRecordedTest.ASSETS))
                .withQueryParam("assetTypes", equalTo("compute.googleapis.com/Instance"))
                .withQueryParam("contentType", equalTo(CollectorRecordedTest.RESOURCE))
                .willReturn(okJson(recorded("cai/instances.json"))));
        wm.stubFor(get(urlPathEqualTo(COMPUTE + "/aggregated/instanceGroupManagers"))
                .willReturn(okJson(recorded("compute/igm-aggregated.json"))));
        wm.stubFor(get(urlPathEqualTo(COMPUTE + "/aggregated/autoscalers"))
                .willReturn(okJson(recorded("compute/autoscalers-aggregated.json"))));
        wm.stubFor(post(urlPathEqualTo(COMPUTE + "/zones/us-central1-a/instanceGroupManagers/web-mig/"
                + "listManagedInstances")).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("compute/web-mig-instances-page1.json"))));
        wm.stubFor(post(urlPathEqualTo(COMPUTE + "/zones/us-central1-a/instanceGroupManagers/web-mig/"
                + "listManagedInstances")).withQueryParam("pageToken", equalTo("ChJ3ZWItbWlnLXA5cTQ"))
                .willReturn(okJson(recorded("compute/web-mig-instances-page2.json"))));
        wm.stubFor(post(urlPathEqualTo(COMPUTE + "/regions/europe-west1/instanceGroupManagers/batch-mig/"
                + "listManagedInstances")).willReturn(okJson(recorded("compute/batch-mig-instances.json"))));
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("monitoring/cpu-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).withQueryParam("pageToken",
                equalTo("CgsIgICAgICAgIABEAEaBXdlYi0x")).willReturn(okJson(recorded("monitoring/cpu-page2.json"))));
    }

    private List<NativeItem> collect(String type) {
        List<NativeItem> items = new ArrayList<>();
        CollectorRecordedTest.descriptor(type).collector().collect(session, new Shard(Cloud.GCP, PROJECT, "global",
                type), items::add);
        return items;
    }

    private JsonNode attributes(String type, NativeItem i) {
        return CollectorRecordedTest.descriptor(type).normalizer().normalize(i).attributes();
    }

    private static NativeItem named(List<NativeItem> items, String suffix) {
        return items.stream().filter(i -> i.id().endsWith(suffix)).findFirst().orElseThrow();
    }

    private static JsonNode json(String text) throws Exception {
        return ModelJson.mapper().readTree(text);
    }

    @Test
    void instancesGainCpuFromOneTimeSeriesListPerProjectAndTheirGroup() throws Exception {
        List<NativeItem> found = collect(ResourceTypes.COMPUTE_INSTANCE);

        // web-1's series arrives split over both pages: all 288 five-minute means, fractions as percent
        JsonNode web = attributes(ResourceTypes.COMPUTE_INSTANCE, named(found, "/web-1"));
        assertThat(web.get("utilization")).isEqualTo(
                json("{\"cpuAvg\": 95.0, \"cpuP95\": 97.37, \"windowDays\": 1, \"samples\": 288}"));
        assertThat(web.get("group").asText()).isEqualTo(WEB_MIG);
        // batch-2 was stopped: no series, so no utilization (null, never 0) and no group
        JsonNode batch = attributes(ResourceTypes.COMPUTE_INSTANCE, named(found, "/batch-2"));
        assertThat(batch.get("utilization").isNull()).isTrue();
        assertThat(batch.get("group").isNull()).isTrue();
        wm.verify(2, getRequestedFor(urlPathEqualTo(TIME_SERIES)));
        wm.verify(getRequestedFor(urlPathEqualTo(TIME_SERIES))
                .withQueryParam("filter", equalTo("metric.type=\"compute.googleapis.com/instance/cpu/utilization\""))
                .withQueryParam("aggregation.perSeriesAligner", equalTo("ALIGN_MEAN"))
                .withQueryParam("aggregation.alignmentPeriod", equalTo("300s")));
    }

    @Test
    void managedInstanceGroupsCarryCapacityMembersAndLoadSpread() throws Exception {
        List<NativeItem> groups = collect(ResourceTypes.COMPUTE_GROUP);

        assertThat(groups).extracting(NativeItem::id).containsExactly(WEB_MIG, BATCH_MIG);
        String zoneA = "//compute.googleapis.com/projects/" + PROJECT + "/zones/us-central1-a/instances/";
        // autoscaler min/max; three members over two listManagedInstances pages; spread = 97.37 - 3.0
        assertThat(attributes(ResourceTypes.COMPUTE_GROUP, groups.get(0))).isEqualTo(json("""
                {"capacity": {"min": 2, "max": 8, "desired": 3},
                 "memberIds": ["%1$sweb-1", "%1$sweb-mig-p9q4", "%1$sweb-mig-x7k2"],
                 "utilization": {"cpuAvg": 47.29, "cpuP95": 97.37, "spread": 94.37, "windowDays": 1}}"""
                .formatted(zoneA)));
        // regional, no autoscaler: targetSize for all three; members in two zones
        String europe = "//compute.googleapis.com/projects/" + PROJECT + "/zones/europe-west1-";
        assertThat(attributes(ResourceTypes.COMPUTE_GROUP, groups.get(1))).isEqualTo(json("""
                {"capacity": {"min": 2, "max": 2, "desired": 2},
                 "memberIds": ["%1$sb/instances/batch-mig-a1b2", "%1$sc/instances/batch-mig-c3d4"],
                 "utilization": {"cpuAvg": 37.6, "cpuP95": 52.24, "spread": 5.74, "windowDays": 1}}"""
                .formatted(europe)));
        assertThat(groups.get(1).region()).isEqualTo("europe-west1");
        assertThat(CollectorRecordedTest.descriptor(ResourceTypes.COMPUTE_GROUP).normalizer().normalize(
                groups.get(0)).name()).isEqualTo("web-mig");
    }

    @Test
    void monitoringThatCannotBeReadLeavesUtilizationNullWithTheReason() {
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).atPriority(1).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody(recorded("monitoring/permission-denied.json"))));

        NativeItem web = named(collect(ResourceTypes.COMPUTE_INSTANCE), "/web-1");
        NativeItem mig = collect(ResourceTypes.COMPUTE_GROUP).get(0);

        assertThat(attributes(ResourceTypes.COMPUTE_INSTANCE, web).get("utilization").isNull()).isTrue();
        assertThat(web.json().path("cloudwarden").path("utilizationError").asText()).isEqualTo("403");
        assertThat(attributes(ResourceTypes.COMPUTE_INSTANCE, web).get("group").asText()).isEqualTo(WEB_MIG);
        assertThat(attributes(ResourceTypes.COMPUTE_GROUP, mig).get("utilization").isNull()).isTrue();
        assertThat(mig.json().path("cloudwarden").path("utilizationError").asText()).isEqualTo("403");
    }

    @Test
    void aGroupListingThatFailsFailsTheShardAndLeavesInstanceGroupsUnknown() {
        wm.stubFor(get(urlPathEqualTo(COMPUTE + "/aggregated/instanceGroupManagers")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(recorded("compute/permission-denied-igm.json"))));

        assertThatThrownBy(() -> collect(ResourceTypes.COMPUTE_GROUP)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("instanceGroupManagers.aggregatedList");
        NativeItem web = named(collect(ResourceTypes.COMPUTE_INSTANCE), "/web-1");
        assertThat(attributes(ResourceTypes.COMPUTE_INSTANCE, web).get("group").isNull()).isTrue();
        assertThat(web.json().path("cloudwarden").path("groupError").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void anEventReReadOfOneInstanceReadsItsCpuByIdAndItsGroupFromCreatedBy() throws Exception {
        wm.stubFor(get(urlPathEqualTo(COMPUTE + "/zones/us-central1-a/instances/web-mig-p9q4"))
                .willReturn(okJson(recorded("compute/instance-web-mig-p9q4.json"))));
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).atPriority(1).withQueryParam("filter", equalTo(
                "metric.type=\"compute.googleapis.com/instance/cpu/utilization\""
                        + " AND resource.labels.instance_id=\"3920011928374650102\""))
                .willReturn(okJson(recorded("monitoring/cpu-web-mig-p9q4.json"))));

        var d = CollectorRecordedTest.descriptor(ResourceTypes.COMPUTE_INSTANCE);
        NativeItem item = d.collector().fetch(session, new io.cloudwarden.model.ResourceRef(Cloud.GCP, PROJECT, "",
                ResourceTypes.COMPUTE_INSTANCE, "//compute.googleapis.com/projects/" + PROJECT
                        + "/zones/us-central1-a/instances/web-mig-p9q4")).orElseThrow();

        JsonNode a = d.normalizer().normalize(item).attributes();
        assertThat(a.get("utilization")).isEqualTo(
                json("{\"cpuAvg\": 1.99, \"cpuP95\": 3.0, \"windowDays\": 1, \"samples\": 288}"));
        // created-by names the project by number; the group id carries the project id
        assertThat(a.get("group").asText()).isEqualTo(WEB_MIG);
        wm.verify(0, getRequestedFor(urlPathEqualTo(COMPUTE + "/aggregated/instanceGroupManagers")));
    }

    @Test
    void fetchOfOneGroup() {
        var d = CollectorRecordedTest.descriptor(ResourceTypes.COMPUTE_GROUP);
        var item = d.collector().fetch(session, new io.cloudwarden.model.ResourceRef(Cloud.GCP, PROJECT, "",
                ResourceTypes.COMPUTE_GROUP, BATCH_MIG)).orElseThrow();
        assertThat(d.normalizer().normalize(item).name()).isEqualTo("batch-mig");
    }
}
