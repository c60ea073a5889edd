package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.kms.key.SetKeyRotationPolicy;
import io.cloudwarden.provider.azure.network.firewall.RemoveInternetNsgRules;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.storage.bucket.BlockBlobPublicAccess;
import io.cloudwarden.provider.azure.storage.bucket.EnforceStorageTls;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemediatorsTest {
    private static RecordedArm arm;
    private static AzureSession session;
    private static List<Resource> estate;

    @BeforeAll
    static void start() {
        arm = new RecordedArm().estate();
        session = new AzureSession(arm.config(List.of(SUB)));
        estate = Estate.all(session, SUB);
    }

    @AfterAll
    static void stop() {
        session.close();
        arm.close();
    }

    @BeforeEach
    void writes() {
        arm.server.stubFor(patch(urlPathMatching(".*/storageAccounts/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"properties\":{}}")));
        arm.server.stubFor(delete(urlPathMatching(".*/securityRules/.*")).willReturn(aResponse().withStatus(202)
                .withHeader("Azure-AsyncOperation", "https://management.azure.com/subscriptions/" + SUB
                        + "/providers/Microsoft.Network/locations/westeurope/operations/op1?api-version=2024-05-01")));
        arm.server.stubFor(put(urlPathMatching("/keyvault/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"lifetimeActions\":[]}")));
    }

    private static RemediationPlan plan(Remediator r, Resource res, PlannedChange c) {
        return new RemediationPlan("p1", "k1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO, res.ref(), "f1",
                c.summary(), c.before(), c.after(), c.params(), null, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
    }

    private static Resource named(String name) {
        return Estate.byName(estate, name);
    }

    @Test
    void blockPublicAccessPatchesAllowBlobPublicAccessFalse() {
        Remediator r = new BlockBlobPublicAccess();
        PlannedChange c = r.plan(named("cwlogsprod")).orElseThrow();
        assertThat(c.after().toString()).isEqualTo("{\"publicAccess\":false}");

        r.apply(session, plan(r, named("cwlogsprod"), c));

        arm.server.verify(patchRequestedFor(urlPathEqualTo(RecordedArm.ACCOUNT_LOGS))
                .withQueryParam("api-version", equalTo("2023-05-01"))
                .withRequestBody(equalToJson("{\"properties\":{\"allowBlobPublicAccess\":false}}")));
        assertThat(r.plan(named("cwdataprod"))).as("already compliant: nothing to do").isEmpty();
    }

    @Test
    void enforceTlsChangesOnlyWhatIsNonCompliant() {
        Remediator r = new EnforceStorageTls();
        PlannedChange c = r.plan(named("cwlogsprod")).orElseThrow();
        assertThat(c.after().toString()).isEqualTo("{\"minTlsVersion\":\"1.2\",\"httpsOnly\":true}");

        r.apply(session, plan(r, named("cwlogsprod"), c));

        arm.server.verify(patchRequestedFor(urlPathEqualTo(RecordedArm.ACCOUNT_LOGS)).withRequestBody(equalToJson(
                "{\"properties\":{\"minimumTlsVersion\":\"TLS1_2\",\"supportsHttpsTrafficOnly\":true}}")));
        assertThat(r.plan(named("cwdataprod"))).isEmpty();
    }

    @Test
    void removeInternetIngressDeletesEveryAllowRuleFromAnywhere() {
        Remediator r = new RemoveInternetNsgRules();
        Resource nsg = named("web-nsg");
        PlannedChange c = r.plan(nsg).orElseThrow();
        assertThat(c.params().path("ruleNames")).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("allow-ssh-anywhere", "allow-https", "allow-telnet-legacy");

        r.apply(session, plan(r, nsg, c));

        for (String rule : List.of("allow-ssh-anywhere", "allow-https", "allow-telnet-legacy")) {
            arm.server.verify(deleteRequestedFor(urlPathEqualTo(RecordedArm.NSG + "/securityRules/" + rule))
                    .withQueryParam("api-version", equalTo("2024-05-01")));
        }
        Resource after = nsg.toBuilder().attributes(nsg.attributes().deepCopy()
                .set("internetIngress", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()))
                .build();
        assertThat(r.verify(after, plan(r, nsg, c))).isTrue();
        assertThat(r.verify(nsg, plan(r, nsg, c))).isFalse();
    }

    @Test
    void keyRotationPolicyIsPutOnTheVaultDataPlane() {
        Remediator r = new SetKeyRotationPolicy();
        Resource legacy = named("legacy-signing");
        PlannedChange c = r.plan(legacy).orElseThrow();
        assertThat(c.after().toString()).isEqualTo("{\"rotationEnabled\":true,\"rotationPeriodDays\":90}");

        r.apply(session, plan(r, legacy, c));

        arm.server.verify(putRequestedFor(urlPathEqualTo("/keyvault/kv-cw-prod/keys/legacy-signing/rotationpolicy"))
                .withQueryParam("api-version", equalTo("7.4"))
                .withRequestBody(equalToJson("""
                        {"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}},
                                            {"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],
                         "attributes":{"expiryTime":"P2Y"}}""")));
        assertThat(r.plan(named("cmk-storage"))).isEmpty();
    }

    @Test
    void remediatorsTargetTheTypesTheyDeclare() {
        assertThat(new BlockBlobPublicAccess().appliesTo()).isEqualTo(ResourceTypes.STORAGE_BUCKET);
        assertThat(new RemoveInternetNsgRules().appliesTo()).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        assertThat(new SetKeyRotationPolicy().appliesTo()).isEqualTo(ResourceTypes.KMS_KEY);
    }
}
