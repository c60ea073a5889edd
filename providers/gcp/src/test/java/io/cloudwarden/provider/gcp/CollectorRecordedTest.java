package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CollectorRecordedTest extends RecordedApi {
    static ResourceDescriptor descriptor(String type) {
        return new GcpProvider().descriptors().stream().filter(d -> d.type().equals(type)).findFirst().orElseThrow();
    }

    List<NativeItem> collect(String type, String project) {
        List<NativeItem> items = new ArrayList<>();
        descriptor(type).collector().collect(session, new Shard(Cloud.GCP, project, "global", type), items::add);
        return items;
    }

    void stubAssets(String assetType, String contentType, String fixture) {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("assetTypes", equalTo(assetType))
                .withQueryParam("contentType", equalTo(contentType)).willReturn(okJson(recorded(fixture))));
    }

    @Test
    void bucketsFollowPageTokensAndJoinIamPolicies() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("assetTypes", equalTo(GcpIds.BUCKET_TYPE))
                .withQueryParam("contentType", equalTo(RESOURCE)).atPriority(5)
                .willReturn(okJson(recorded("cai/buckets-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("contentType", equalTo(RESOURCE))
                .withQueryParam("pageToken", equalTo("CgRwYWdlMg")).atPriority(1)
                .willReturn(okJson(recorded("cai/buckets-page2.json"))));
        stubAssets(GcpIds.BUCKET_TYPE, IAM_POLICY, "cai/buckets-iam.json");

        List<NativeItem> items = collect(ResourceTypes.STORAGE_BUCKET, PROJECT);

        assertThat(items).extracting(NativeItem::id).containsExactly(
                "//storage.googleapis.com/cw-demo-public-assets", "//storage.googleapis.com/cw-demo-audit-logs");
        assertThat(items).extracting(NativeItem::region).containsExactly("us", "europe-west1");
        assertThat(items).extracting(NativeItem::account).containsOnly(PROJECT);
        assertThat(items.get(0).json().at("/iamPolicy/bindings/1/members/0").asText()).isEqualTo("allUsers");
        wm.verify(2, getRequestedFor(urlPathEqualTo(ASSETS)).withQueryParam("contentType", equalTo(RESOURCE)));
    }

    @Test
    void throttledListIsRetriedUntilItSucceeds() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody(recorded("cai/rate-limited.json")))
                .willSetStateTo("recovered"));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("429").whenScenarioStateIs("recovered")
                .willReturn(okJson(recorded("cai/firewalls.json"))));

        List<NativeItem> items = collect(ResourceTypes.NETWORK_FIREWALL, PROJECT);

        assertThat(items).hasSize(3);
        wm.verify(2, getRequestedFor(urlPathEqualTo(ASSETS)));
    }

    @Test
    void deniedProjectFailsOnlyItsShardWithPermissionDenied() {
        wm.stubFor(get(urlPathEqualTo("/v1/projects/cw-demo-locked/assets")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(recorded("cai/permission-denied.json"))));
        stubAssets(GcpIds.FIREWALL_TYPE, RESOURCE, "cai/firewalls.json");

        assertThatThrownBy(() -> collect(ResourceTypes.NETWORK_FIREWALL, "cw-demo-locked"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.GCP);
                    assertThat(e.nativeCode()).isEqualTo("PERMISSION_DENIED");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.operation()).contains("ListAssets").contains("projects/cw-demo-locked");
                });
        assertThat(collect(ResourceTypes.NETWORK_FIREWALL, PROJECT)).hasSize(3);
    }

    @Test
    void malformedBodyIsAProviderError() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(recorded("cai/malformed.json"))));

        assertThatThrownBy(() -> collect(ResourceTypes.KMS_KEY, PROJECT)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("ListAssets");
    }

    @Test
    void systemManagedKeysAreSkipped() {
        stubAssets(GcpIds.SERVICE_ACCOUNT_KEY_TYPE, RESOURCE, "cai/keys.json");

        assertThat(collect(ResourceTypes.IDENTITY_KEY, PROJECT)).extracting(NativeItem::id).containsExactly(
                "//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/104857392018475629301/keys/"
                        + "3f1c2a9e8b7d6c5f4e3d2c1b0a998877");
    }

    @Test
    void serviceAccountsCarryTheirProjectRoles() {
        stubAssets(GcpIds.SERVICE_ACCOUNT_TYPE, RESOURCE, "cai/service-accounts.json");
        stubAssets(GcpIds.PROJECT_TYPE, IAM_POLICY, "cai/project-iam.json");

        List<NativeItem> items = collect(ResourceTypes.IDENTITY_USER, PROJECT);

        assertThat(items.get(0).json().path("projectRoles").get(0).asText()).isEqualTo("roles/editor");
        assertThat(items.get(1).json().path("projectRoles").get(0).asText()).isEqualTo("roles/logging.logWriter");
    }

    @Test
    void serviceAccountsWithoutReadableProjectPolicyHaveNoRoles() {
        stubAssets(GcpIds.SERVICE_ACCOUNT_TYPE, RESOURCE, "cai/service-accounts.json");
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("contentType", equalTo(IAM_POLICY))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(recorded("cai/permission-denied.json"))));

        List<NativeItem> items = collect(ResourceTypes.IDENTITY_USER, PROJECT);

        assertThat(items).hasSize(2).allSatisfy(i -> assertThat(i.json().has("projectRoles")).isFalse());
    }

    @Test
    void fetchReadsOneBucketAndItsPolicyThroughStorage() {
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/cw-demo-public-assets"))
                .willReturn(okJson(recorded("storage/bucket-public.json"))));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/cw-demo-public-assets/iam"))
                .willReturn(okJson(recorded("storage/bucket-public-iam.json"))));

        Optional<NativeItem> item = descriptor(ResourceTypes.STORAGE_BUCKET).collector().fetch(session,
                ref(ResourceTypes.STORAGE_BUCKET, "//storage.googleapis.com/cw-demo-public-assets"));

        assertThat(item).isPresent();
        assertThat(item.get().region()).isEqualTo("us");
        assertThat(new GcpProvider().descriptors().get(0).normalizer().normalize(item.get()).attributes()
                .path("publicAccess").asBoolean()).isTrue();
    }

    @Test
    void fetchOfAMissingBucketIsEmpty() {
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/gone")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"The specified bucket does not exist.\","
                        + "\"errors\":[{\"message\":\"The specified bucket does not exist.\",\"domain\":\"global\","
                        + "\"reason\":\"notFound\"}]}}")));

        assertThat(descriptor(ResourceTypes.STORAGE_BUCKET).collector().fetch(session,
                ref(ResourceTypes.STORAGE_BUCKET, "//storage.googleapis.com/gone"))).isEmpty();
    }

    @Test
    void fetchReadsOneFirewallThroughCompute() {
        wm.stubFor(get(urlPathEqualTo("/compute/v1/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere"))
                .willReturn(okJson(recorded("compute/firewall-allow-ssh.json"))));

        NativeItem item = descriptor(ResourceTypes.NETWORK_FIREWALL).collector().fetch(session,
                ref(ResourceTypes.NETWORK_FIREWALL,
                        "//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere"))
                .orElseThrow();

        assertThat(item.json().at("/resource/data/allowed/0/IPProtocol").asText()).isEqualTo("tcp");
        assertThat(descriptor(ResourceTypes.NETWORK_FIREWALL).normalizer().normalize(item).attributes()
                .path("internetIngress")).hasSize(3);
    }

    @Test
    void fetchReadsOneInstanceThroughCompute() {
        wm.stubFor(get(urlPathEqualTo("/compute/v1/projects/cw-demo-prod/zones/us-central1-a/instances/web-1"))
                .willReturn(okJson(recorded("compute/instance-web-1.json"))));

        NativeItem item = descriptor(ResourceTypes.COMPUTE_INSTANCE).collector().fetch(session,
                ref(ResourceTypes.COMPUTE_INSTANCE,
                        "//compute.googleapis.com/projects/cw-demo-prod/zones/us-central1-a/instances/web-1"))
                .orElseThrow();

        var attrs = descriptor(ResourceTypes.COMPUTE_INSTANCE).normalizer().normalize(item).attributes();
        assertThat(attrs.path("publicIp").asText()).isEqualTo("34.122.10.45");
        assertThat(attrs.path("metadataHardened").asBoolean()).isTrue();
        assertThat(item.region()).isEqualTo("us-central1-a");
    }

    @Test
    void fetchOfAKmsKeyUsesTheCurrentAssetHistory() {
        wm.stubFor(get(urlPathEqualTo("/v1/projects/cw-demo-prod:batchGetAssetsHistory"))
                .withQueryParam("assetNames", equalTo(
                        "//cloudkms.googleapis.com/projects/cw-demo-prod/locations/europe-west1/keyRings/storage/"
                                + "cryptoKeys/logs"))
                .willReturn(okJson(recorded("cai/crypto-key-history.json"))));

        NativeItem item = descriptor(ResourceTypes.KMS_KEY).collector().fetch(session, ref(ResourceTypes.KMS_KEY,
                "//cloudkms.googleapis.com/projects/cw-demo-prod/locations/europe-west1/keyRings/storage/"
                        + "cryptoKeys/logs")).orElseThrow();

        assertThat(descriptor(ResourceTypes.KMS_KEY).normalizer().normalize(item).attributes()
                .path("rotationPeriodDays").asInt()).isEqualTo(90);
    }

    @Test
    void fetchOfAnAssetCaiDoesNotKnowIsEmpty() {
        wm.stubFor(get(urlPathEqualTo("/v1/projects/cw-demo-prod:batchGetAssetsHistory")).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\": {\"code\": 400, \"message\": \"Asset name //cloudkms.googleapis.com/projects/"
                                + "cw-demo-prod/locations/global/keyRings/r/cryptoKeys/gone is not found.\", "
                                + "\"status\": \"INVALID_ARGUMENT\"}}")));

        assertThat(descriptor(ResourceTypes.KMS_KEY).collector().fetch(session, ref(ResourceTypes.KMS_KEY,
                "//cloudkms.googleapis.com/projects/cw-demo-prod/locations/global/keyRings/r/cryptoKeys/gone")))
                .isEmpty();
    }

    @Test
    void organizationSettingDiscoversItsActiveProjects() {
        wm.stubFor(get(urlPathEqualTo("/v1/organizations/738290111542/assets"))
                .withQueryParam("assetTypes", equalTo(GcpIds.PROJECT_TYPE))
                .willReturn(okJson(recorded("cai/org-projects.json"))));
        var config = new io.cloudwarden.engine.spi.ProviderConfig(Cloud.GCP, session.config().endpoint(),
                List.of(), List.of(), java.util.Map.of("organization", "738290111542"));

        try (GcpSession org = (GcpSession) new GcpProvider().open(config)) {
            assertThat(org.targets()).extracting(io.cloudwarden.engine.spi.ScanTarget::account)
                    .containsExactly("cw-demo-dev", "cw-demo-prod");
        }
    }

    static ResourceRef ref(String type, String id) {
        return new ResourceRef(Cloud.GCP, PROJECT, "", type, id);
    }
}
