package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.kms.key.KmsSetRotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RemediatorRecordedTest extends RecordedApi {
    static final String BUCKET = "/storage/v1/b/cw-demo-public-assets";
    static final String FIREWALL = "/compute/v1/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere";

    final GcpProvider provider = new GcpProvider();

    Remediator remediator(String action) {
        return provider.remediators().stream().filter(r -> r.actionId().equals(action)).findFirst().orElseThrow();
    }

    ResourceDescriptor descriptor(String type) {
        return provider.descriptors().stream().filter(d -> d.type().equals(type)).findFirst().orElseThrow();
    }

    /** Re-reads a resource through the descriptor's fetch path and normalizes it, as verify-after-apply does. */
    Resource reread(String type, String id) {
        ResourceDescriptor d = descriptor(type);
        NativeItem item = d.collector().fetch(session, new ResourceRef(Cloud.GCP, "cw-demo-prod", "", type, id))
                .orElseThrow();
        return toResource(type, item, d);
    }

    static Resource toResource(String type, NativeItem item, ResourceDescriptor d) {
        var n = d.normalizer().normalize(item);
        return Resource.builder().cloud(Cloud.GCP).account(item.account()).region(item.region()).type(type)
                .id(item.id()).name(n.name()).attributes(n.attributes()).raw(item.json()).build();
    }

    /**
     * The Google HTTP client on java.net cannot send PATCH: it POSTs with {@code X-HTTP-Method-Override: PATCH},
     * which Google APIs honour.
     */
    static com.github.tomakehurst.wiremock.client.MappingBuilder patchVia(
            com.github.tomakehurst.wiremock.matching.UrlPattern url) {
        return post(url).withHeader("X-HTTP-Method-Override", equalTo("PATCH"));
    }

    static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder patchRequested(
            com.github.tomakehurst.wiremock.matching.UrlPattern url) {
        return postRequestedFor(url).withHeader("X-HTTP-Method-Override", equalTo("PATCH"));
    }

    static RemediationPlan plan(Remediator r, Resource resource, PlannedChange change) {
        return new RemediationPlan("plan-1", "key-1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO,
                resource.ref(), "finding-1", change.summary(), change.before(), change.after(), change.params(),
                Actor.SYSTEM, Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Test
    void blockPublicAccessRemovesPublicMembersAndEnforcesPreventionThenVerifies() {
        Remediator r = remediator("storage.bucket/block-public-access");
        wm.stubFor(get(urlPathEqualTo(BUCKET + "/iam")).inScenario("bucket").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(recorded("storage/bucket-public-iam.json"))));
        wm.stubFor(get(urlPathEqualTo(BUCKET)).inScenario("bucket").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(recorded("storage/bucket-public.json"))));
        wm.stubFor(put(urlPathEqualTo(BUCKET + "/iam")).inScenario("bucket")
                .willReturn(okJson(recorded("storage/bucket-public-iam-after.json"))).willSetStateTo("policy-fixed"));
        wm.stubFor(patchVia(urlPathEqualTo(BUCKET)).inScenario("bucket")
                .willReturn(okJson(recorded("storage/bucket-enforced.json"))).willSetStateTo("fixed"));
        wm.stubFor(get(urlPathEqualTo(BUCKET)).inScenario("bucket").whenScenarioStateIs("policy-fixed")
                .willReturn(okJson(recorded("storage/bucket-public.json"))));
        wm.stubFor(get(urlPathEqualTo(BUCKET + "/iam")).inScenario("bucket").whenScenarioStateIs("fixed")
                .willReturn(okJson(recorded("storage/bucket-public-iam-after.json"))));
        wm.stubFor(get(urlPathEqualTo(BUCKET)).inScenario("bucket").whenScenarioStateIs("fixed")
                .willReturn(okJson(recorded("storage/bucket-enforced.json"))));

        Resource before = reread(ResourceTypes.STORAGE_BUCKET, "//storage.googleapis.com/cw-demo-public-assets");
        PlannedChange change = r.plan(before).orElseThrow();
        RemediationPlan plan = plan(r, before, change);
        r.apply(session, plan);

        wm.verify(putRequestedFor(urlPathEqualTo(BUCKET + "/iam"))
                .withRequestBody(matchingJsonPath("$.bindings[?(@.role == 'roles/storage.legacyBucketReader')]"))
                .withRequestBody(matchingJsonPath("$.etag", equalTo("CAM=")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("allUsers")));
        wm.verify(patchRequested(urlPathEqualTo(BUCKET))
                .withRequestBody(matchingJsonPath("$.iamConfiguration.publicAccessPrevention", equalTo("enforced"))));
        Resource after = reread(ResourceTypes.STORAGE_BUCKET, "//storage.googleapis.com/cw-demo-public-assets");
        assertThat(r.verify(after, plan)).isTrue();
        assertThat(r.plan(after)).isEmpty();

        // idempotent: a second apply on the fixed bucket writes nothing
        wm.resetRequests();
        r.apply(session, plan);
        wm.verify(0, putRequestedFor(anyUrl()));
        wm.verify(0, patchRequested(anyUrl()));
    }

    @Test
    void firewallOpenToTheInternetIsDisabledAndTheOperationAwaited() {
        Remediator r = remediator("network.firewall/revoke-internet-ingress");
        wm.stubFor(get(urlPathEqualTo(FIREWALL)).inScenario("fw").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(recorded("compute/firewall-allow-ssh.json"))));
        wm.stubFor(patchVia(urlPathEqualTo(FIREWALL)).inScenario("fw")
                .willReturn(okJson(recorded("compute/firewall-patch-operation.json"))).willSetStateTo("disabled"));
        wm.stubFor(post(urlPathMatching("/compute/v1/projects/cw-demo-prod/global/operations/operation-[^/]+/wait"))
                .willReturn(okJson(recorded("compute/firewall-patch-operation-done.json"))));
        wm.stubFor(get(urlPathEqualTo(FIREWALL)).inScenario("fw").whenScenarioStateIs("disabled")
                .willReturn(okJson(recorded("compute/firewall-allow-ssh-disabled.json"))));

        Resource before = reread(ResourceTypes.NETWORK_FIREWALL,
                "//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere");
        RemediationPlan plan = plan(r, before, r.plan(before).orElseThrow());
        assertThat(plan.before().path("internetIngress")).hasSize(3);
        r.apply(session, plan);

        wm.verify(patchRequested(urlPathEqualTo(FIREWALL)).withRequestBody(equalToJson("{\"disabled\": true}")));
        wm.verify(postRequestedFor(urlPathMatching(".*/global/operations/operation-1763891400000-.*/wait")));
        Resource after = reread(ResourceTypes.NETWORK_FIREWALL, before.id());
        assertThat(r.verify(after, plan)).isTrue();
        assertThat(r.plan(after)).isEmpty();
    }

    @Test
    void serviceAccountKeyIsDisabledThroughIamRest() throws Exception {
        Remediator r = remediator("identity.key/deactivate");
        JsonNode asset = ModelJson.mapper().readTree(recorded("cai/keys.json")).path("assets").get(0);
        NativeItem item = new NativeItem(asset.path("name").asText(), "cw-demo-prod", "global", asset);
        Resource key = toResource(ResourceTypes.IDENTITY_KEY, item, descriptor(ResourceTypes.IDENTITY_KEY));
        wm.stubFor(post(urlPathMatching("/v1/projects/cw-demo-prod/serviceAccounts/deployer(@|%40)cw-demo-prod"
                + "\\.iam\\.gserviceaccount\\.com/keys/3f1c2a9e8b7d6c5f4e3d2c1b0a998877:disable"))
                .willReturn(okJson(recorded("iam/key-disable-response.json"))));

        RemediationPlan plan = plan(r, key, r.plan(key).orElseThrow());
        r.apply(session, plan);

        wm.verify(1, postRequestedFor(urlPathMatching(".*/keys/3f1c2a9e8b7d6c5f4e3d2c1b0a998877:disable")));
        assertThat(plan.after().path("active").asBoolean()).isFalse();
    }

    @Test
    void keyDisableDeniedIsAProviderError() throws Exception {
        Remediator r = remediator("identity.key/deactivate");
        JsonNode asset = ModelJson.mapper().readTree(recorded("cai/keys.json")).path("assets").get(0);
        Resource key = toResource(ResourceTypes.IDENTITY_KEY,
                new NativeItem(asset.path("name").asText(), "cw-demo-prod", "global", asset),
                descriptor(ResourceTypes.IDENTITY_KEY));
        wm.stubFor(post(urlPathMatching(".*:disable")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(recorded("cai/permission-denied.json"))));

        assertThatThrownBy(() -> r.apply(session, plan(r, key, r.plan(key).orElseThrow())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.nativeCode()).isEqualTo("403"));
    }

    @Test
    void kmsKeyWithoutRotationGetsANinetyDayPeriod() throws Exception {
        KmsSetRotation r = new KmsSetRotation(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
        JsonNode asset = ModelJson.mapper().readTree(recorded("cai/crypto-keys.json")).path("assets").get(1);
        Resource key = toResource(ResourceTypes.KMS_KEY,
                new NativeItem(asset.path("name").asText(), "cw-demo-prod", "us-central1", asset),
                descriptor(ResourceTypes.KMS_KEY));
        wm.stubFor(patchVia(urlPathEqualTo("/v1/projects/cw-demo-prod/locations/us-central1/keyRings/compute/"
                + "cryptoKeys/disks")).willReturn(okJson(recorded("kms/crypto-key-updated.json"))));

        RemediationPlan plan = plan(r, key, r.plan(key).orElseThrow());
        r.apply(session, plan);

        wm.verify(patchRequested(urlPathEqualTo("/v1/projects/cw-demo-prod/locations/us-central1/keyRings/"
                + "compute/cryptoKeys/disks"))
                .withQueryParam("updateMask", equalTo("rotationPeriod,nextRotationTime"))
                .withRequestBody(matchingJsonPath("$.rotationPeriod", equalTo("7776000s")))
                .withRequestBody(matchingJsonPath("$.nextRotationTime", equalTo("2027-02-21T10:00:00Z"))));
        assertThat(plan.after()).isEqualTo(ModelJson.mapper().readTree(
                "{\"rotationEnabled\": true, \"rotationPeriodDays\": 90}"));
    }

    @Test
    void compliantResourcesPlanNothing() throws Exception {
        JsonNode asset = ModelJson.mapper().readTree(recorded("cai/crypto-keys.json")).path("assets").get(0);
        Resource rotating = toResource(ResourceTypes.KMS_KEY,
                new NativeItem(asset.path("name").asText(), "cw-demo-prod", "europe-west1", asset),
                descriptor(ResourceTypes.KMS_KEY));

        assertThat(remediator("kms.key/enable-rotation").plan(rotating)).isEmpty();
        wm.verify(0, anyRequestedFor(anyUrl()));
    }
}
