package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.gcp.session.GcpSession;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base for the recorded-API tier: a WireMock server on 127.0.0.1 standing in for every Google API root. */
public abstract class RecordedApi {
    public static final String PROJECT = "cw-demo-prod";
    /** Cloud Asset Inventory ListAssets of {@link #PROJECT}. */
    public static final String ASSETS = "/v1/projects/" + PROJECT + "/assets";
    /** The HttpJson transport sends enums as numbers ({@code $alt=json;enum-encoding=int}): ContentType. */
    public static final String RESOURCE = "1";
    public static final String IAM_POLICY = "2";

    protected RecordedApiServer api;
    protected WireMockServer wm;
    protected GcpSession session;

    @BeforeEach
    void startServer() {
        api = RecordedApiServer.http();
        wm = api.wireMock();
        session = (GcpSession) new GcpProvider().open(config());
    }

    @AfterEach
    void stopServer() {
        session.close();
        api.close();
    }

    protected ProviderConfig config() {
        return config(api.endpoint());
    }

    /**
     * One project, three attempts 10 ms apart, a 10 s total timeout; utilization over the one day the recorded
     * metrics (recorded/monitoring) cover.
     */
    static ProviderConfig config(URI endpoint) {
        return new ProviderConfig(Cloud.GCP, Optional.of(endpoint), List.of(PROJECT), List.of(),
                Map.of("maxAttempts", "3", "initialRetryDelayMillis", "10", "totalTimeoutSeconds", "10",
                        "utilizationWindowDays", "1"));
    }

    public static String recorded(String path) {
        return RecordedApiServer.fixture(path);
    }

    static MappingBuilder assets(String assetType, String contentType) {
        return get(urlPathEqualTo(ASSETS)).withQueryParam("assetTypes", equalTo(assetType))
                .withQueryParam("contentType", equalTo(contentType));
    }

    /**
     * The recorded estate of {@link #PROJECT} as Cloud Asset Inventory serves it: two buckets over two pages with
     * their IAM policies, three firewalls, two instances (with their OS Config inventories and vulnerability
     * reports), two service accounts with the project's IAM policy, their user-managed keys, two KMS keys.
     */
    static void stubEstate(WireMockServer wm) {
        wm.stubFor(assets(GcpIds.BUCKET_TYPE, RESOURCE).atPriority(5)
                .willReturn(okJson(recorded("cai/buckets-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("contentType", equalTo(RESOURCE))
                .withQueryParam("pageToken", equalTo("CgRwYWdlMg")).atPriority(1)
                .willReturn(okJson(recorded("cai/buckets-page2.json"))));
        wm.stubFor(assets(GcpIds.BUCKET_TYPE, IAM_POLICY).willReturn(okJson(recorded("cai/buckets-iam.json"))));
        wm.stubFor(assets(GcpIds.FIREWALL_TYPE, RESOURCE).willReturn(okJson(recorded("cai/firewalls.json"))));
        wm.stubFor(assets(GcpIds.INSTANCE_TYPE, RESOURCE).willReturn(okJson(recorded("cai/instances.json"))));
        wm.stubFor(assets(GcpIds.SERVICE_ACCOUNT_TYPE, RESOURCE)
                .willReturn(okJson(recorded("cai/service-accounts.json"))));
        wm.stubFor(assets(GcpIds.PROJECT_TYPE, IAM_POLICY).willReturn(okJson(recorded("cai/project-iam.json"))));
        wm.stubFor(assets(GcpIds.SERVICE_ACCOUNT_KEY_TYPE, RESOURCE).willReturn(okJson(recorded("cai/keys.json"))));
        wm.stubFor(assets(GcpIds.CRYPTO_KEY_TYPE, RESOURCE).willReturn(okJson(recorded("cai/crypto-keys.json"))));
        String zoneA = "/v1/projects/" + PROJECT + "/locations/us-central1-a/instances/-/";
        String zoneB = "/v1/projects/" + PROJECT + "/locations/europe-west1-b/instances/-/";
        wm.stubFor(get(urlPathEqualTo(zoneA + "inventories")).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(zoneA + "inventories"))
                .withQueryParam("pageToken", equalTo("CiA5ZjJkNGE3Yi1pbnZlbnRvcnktcGFnZS0y"))
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page2.json"))));
        wm.stubFor(get(urlPathEqualTo(zoneA + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/vulnerability-reports-us-central1-a.json"))));
        wm.stubFor(get(urlPathEqualTo(zoneB + "inventories")).willReturn(okJson(recorded("osconfig/empty.json"))));
        wm.stubFor(get(urlPathEqualTo(zoneB + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/empty.json"))));
    }

    /**
     * The managed instance groups of {@link #PROJECT} (aggregated list, autoscalers, members over two pages) and the
     * instances' CPU (Cloud Monitoring timeSeries over two pages), as {@code UtilizationRecordedTest} reads them.
     */
    static void stubGroupsAndUtilization(WireMockServer wm) {
        String compute = "/compute/v1/projects/" + PROJECT;
        String timeSeries = "/v3/projects/" + PROJECT + "/timeSeries";
        wm.stubFor(get(urlPathEqualTo(compute + "/aggregated/instanceGroupManagers"))
                .willReturn(okJson(recorded("compute/igm-aggregated.json"))));
        wm.stubFor(get(urlPathEqualTo(compute + "/aggregated/autoscalers"))
                .willReturn(okJson(recorded("compute/autoscalers-aggregated.json"))));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(compute
                + "/zones/us-central1-a/instanceGroupManagers/web-mig/listManagedInstances"))
                .withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("compute/web-mig-instances-page1.json"))));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(compute
                + "/zones/us-central1-a/instanceGroupManagers/web-mig/listManagedInstances"))
                .withQueryParam("pageToken", equalTo("ChJ3ZWItbWlnLXA5cTQ"))
                .willReturn(okJson(recorded("compute/web-mig-instances-page2.json"))));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(compute
                + "/regions/europe-west1/instanceGroupManagers/batch-mig/listManagedInstances"))
                .willReturn(okJson(recorded("compute/batch-mig-instances.json"))));
        wm.stubFor(get(urlPathEqualTo(timeSeries)).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("monitoring/cpu-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(timeSeries)).withQueryParam("pageToken", equalTo("CgsIgICAgICAgIABEAEaBXdlYi0x"))
                .willReturn(okJson(recorded("monitoring/cpu-page2.json"))));
    }
}
