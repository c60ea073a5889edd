package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.gcp.CollectorRecordedTest.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compute Engine instances gain {@code os} and {@code patch} from OS Config (recorded OS Config v1 REST JSON):
 * inventories (paged) and vulnerability reports of every instance of a zone, one listing per zone.
 */
class PatchStatesTest extends RecordedApi {
    private static final String ZONE_A = "/v1/projects/" + PROJECT + "/locations/us-central1-a/instances/-/";
    private static final String ZONE_B = "/v1/projects/" + PROJECT + "/locations/europe-west1-b/instances/-/";
    private final ResourceDescriptor instances = CollectorRecordedTest.descriptor(ResourceTypes.COMPUTE_INSTANCE);

    @BeforeEach
    void assets() {
        wm.stubFor(get(urlPathEqualTo(CollectorRecordedTest.ASSETS))
                .withQueryParam("assetTypes", equalTo("compute.googleapis.com/Instance"))
                .withQueryParam("contentType", equalTo(CollectorRecordedTest.RESOURCE))
                .willReturn(okJson(recorded("cai/instances.json"))));
    }

    private List<NativeItem> collect() {
        List<NativeItem> items = new ArrayList<>();
        instances.collector().collect(session, new Shard(Cloud.GCP, PROJECT, "global", instances.type()), items::add);
        return items;
    }

    private String attribute(NativeItem i, String name) {
        return instances.normalizer().normalize(i).attributes().get(name).toString();
    }

    @Test
    void inventoriesAcrossPagesAndVulnerabilityReportsGivePatchCountsPerZone() {
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories")).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories"))
                .withQueryParam("pageToken", equalTo("CiA5ZjJkNGE3Yi1pbnZlbnRvcnktcGFnZS0y"))
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page2.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/vulnerability-reports-us-central1-a.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "inventories")).willReturn(okJson(recorded("osconfig/empty.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/empty.json"))));

        List<NativeItem> found = collect();

        NativeItem web = found.stream().filter(i -> i.id().endsWith("/web-1")).findFirst().orElseThrow();
        assertThat(attribute(web, "os")).isEqualTo(
                "{\"family\":\"linux\",\"name\":\"Debian GNU/Linux 12 (bookworm)\",\"version\":\"12\"}");
        // critical: openssl + libssl3 (CVE-2024-5535); security: curl (openssl's HIGH CVE is already critical);
        // other: tzdata
        assertThat(attribute(web, "patch")).isEqualTo("{\"managed\":true,\"missingCritical\":2,"
                + "\"missingSecurity\":1,\"missingOther\":1,\"lastAssessedAt\":\"2026-11-23T06:12:40.151Z\","
                + "\"lastInstalledAt\":null,\"rebootPending\":null}");
        NativeItem batch = found.stream().filter(i -> i.id().endsWith("/batch-2")).findFirst().orElseThrow();
        assertThat(attribute(batch, "patch")).startsWith("{\"managed\":false,");
        assertThat(attribute(batch, "os")).isEqualTo("null");
        wm.verify(2, getRequestedFor(urlPathEqualTo(ZONE_A + "inventories")).withQueryParam("view",
                equalTo("FULL")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(ZONE_A + "vulnerabilityReports")));
    }

    @Test
    void aZoneWhoseOsConfigCannotBeReadLeavesPatchNull() {
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(recorded("osconfig/service-disabled.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "inventories")).willReturn(okJson(recorded("osconfig/empty.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/empty.json"))));

        List<NativeItem> found = collect();

        NativeItem web = found.stream().filter(i -> i.id().endsWith("/web-1")).findFirst().orElseThrow();
        assertThat(attribute(web, "patch")).isEqualTo("null");
        assertThat(web.json().path("cloudwarden").path("patch").path("error").asText()).isEqualTo("403");
        NativeItem batch = found.stream().filter(i -> i.id().endsWith("/batch-2")).findFirst().orElseThrow();
        assertThat(attribute(batch, "patch")).startsWith("{\"managed\":false,");
    }
}
