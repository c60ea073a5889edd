package io.cloudwarden.provider.azure.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.DEPLOYER_APP;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.ROOT;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.graphGet;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.ok;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.azure.AzureProvider;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.RecordedArm;
import io.cloudwarden.provider.azure.identity.key.AppCredentials;
import io.cloudwarden.provider.azure.identity.key.RemoveAppCredential;
import io.cloudwarden.provider.azure.session.GraphException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code identity.key/deactivate} on Entra application credentials, against recorded Microsoft Graph wire formats. */
class RemoveAppCredentialTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SECRET = "8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60";
    private static final String OLD_CERT = "4b7d9e1f-2a3c-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String APP = ROOT + "/applications/" + DEPLOYER_APP;
    private final ResourceDescriptor keys = io.cloudwarden.provider.azure.identity.key.IdentityKey.descriptor(Clock.fixed(NOW, ZoneOffset.UTC));
    private final RemoveAppCredential remediator = new RemoveAppCredential();
    private RecordedArm arm;
    private AzureSession session;

    @BeforeEach
    void start() {
        arm = RecordedGraph.tenant(new RecordedArm());
        session = new AzureSession(arm.config(List.of(SUB)));
    }

    @AfterEach
    void stop() {
        session.close();
        arm.close();
    }

    private Resource credential(String name) {
        return Collected.named(Collected.shard(session, keys, SUB), name);
    }

    private static RemediationPlan plan(Resource r, PlannedChange c) {
        return new RemediationPlan("p1", "k1", "identity.key/deactivate", RemediationPlan.Risk.HIGH,
                RemediationRef.Mode.APPROVE, r.ref(), "f1", c.summary(), c.before(), c.after(), c.params(), null,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
    }

    /** The application as Graph serves it before and after removePassword. */
    private void serveTheSecretUntilItIsRemoved() {
        arm.server.stubFor(graphGet("/applications/" + DEPLOYER_APP).inScenario("app").whenScenarioStateIs(STARTED)
                .willReturn(ok("graph/application-cw-deployer-secret.json")));
        arm.server.stubFor(graphGet("/applications/" + DEPLOYER_APP).inScenario("app").whenScenarioStateIs("removed")
                .willReturn(ok("graph/application-cw-deployer-secret-removed.json")));
        arm.server.stubFor(post(urlPathEqualTo(APP + "/removePassword")).inScenario("app")
                .willSetStateTo("removed").willReturn(aResponse().withStatus(204)));
    }

    @Test
    void theAzureProviderOffersTheSharedDeactivateAction() {
        assertThat(new AzureProvider().remediators()).anySatisfy(r -> {
            assertThat(r.actionId()).isEqualTo("identity.key/deactivate");
            assertThat(r.appliesTo()).isEqualTo("identity.key");
            assertThat(r.permissions()).containsExactly("Application.ReadWrite.All");
        });
    }

    @Test
    void aClientSecretIsRemovedWithRemovePasswordAndTheReReadNoLongerFindsIt() {
        serveTheSecretUntilItIsRemoved();
        Resource secret = credential("cw-deployer/ci-pipeline");
        PlannedChange change = remediator.plan(secret).orElseThrow();

        remediator.apply(session, plan(secret, change));

        arm.server.verify(1, postRequestedFor(urlPathEqualTo(APP + "/removePassword"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"keyId\": \"" + SECRET + "\"}")));
        assertThat(keys.collector().fetch(session, secret.ref())).as("re-read through the application").isEmpty();
        assertThat(remediator.removesResource()).as("absent on the re-read = removed").isTrue();
    }

    @Test
    void thePlanKeepsWhatARevertNeedsAndSaysTheSecretCannotBeRestored() {
        Resource secret = credential("cw-deployer/ci-pipeline");

        PlannedChange change = remediator.plan(secret).orElseThrow();

        assertThat(change.before().toString()).isEqualTo("{\"active\":true}");
        assertThat(change.after().toString()).isEqualTo("{\"active\":false}");
        assertThat(change.summary()).isEqualTo("Remove client secret " + SECRET
                + " of application cw-deployer (0f1e2d3c-6666-4b5a-9c8d-111122223333)");
        assertThat(change.params().path("applicationObjectId").asText()).isEqualTo(DEPLOYER_APP);
        assertThat(change.params().path("keyId").asText()).isEqualTo(SECRET);
        assertThat(change.params().path("revert").path("displayName").asText()).isEqualTo("ci-pipeline");
        assertThat(change.params().path("revert").path("endDateTime").asText()).isEqualTo("2027-05-01T09:00:00Z");
        assertThat(change.params().path("revert").path("how").asText()).contains("cannot be restored")
                .contains("addPassword");
        assertThat(change.params().toString()).as("no secret material, not even the hint").doesNotContain("Zx8")
                .doesNotContain("hint");
    }

    @Test
    void aSecretAlreadyRemovedIsANoOp() {
        serveTheSecretUntilItIsRemoved();
        Resource secret = credential("cw-deployer/ci-pipeline");
        RemediationPlan plan = plan(secret, remediator.plan(secret).orElseThrow());
        remediator.apply(session, plan);

        remediator.apply(session, plan);

        arm.server.verify(1, postRequestedFor(urlPathEqualTo(APP + "/removePassword")));
    }

    @Test
    void anExpiredCredentialNeedsNoPlan() {
        assertThat(remediator.plan(credential("cw-deployer/CN=cw-deployer"))).isEmpty();
    }

    @Test
    void aCertificateIsRemovedByRewritingKeyCredentialsWithTheOthersKeptWhole() {
        arm.server.stubFor(graphGet("/applications/" + DEPLOYER_APP).withQueryParam("$select", equalTo("keyCredentials"))
                .willReturn(ok("graph/application-cw-deployer-certificates.json")));
        arm.server.stubFor(patch(urlPathEqualTo(APP)).willReturn(aResponse().withStatus(204)));
        Resource cert = credential("cw-deployer/CN=cw-deployer");
        Resource stillValid = cert.toBuilder().attributes(cert.attributes().deepCopy().put("active", true)).build();

        remediator.apply(session, plan(stillValid, remediator.plan(stillValid).orElseThrow()));

        arm.server.verify(1, patchRequestedFor(urlPathEqualTo(APP)).withRequestBody(equalToJson("""
                {"keyCredentials": [{
                  "customKeyIdentifier": "9A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B",
                  "displayName": "CN=cw-deployer-2027", "endDateTime": "2027-09-01T00:00:00Z",
                  "key": "MIIBszCCARygAwIBAgIQSecondRecordedPublicCertificateDataAAAAAAAAAAAAAAAAAAAA==",
                  "keyId": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b", "startDateTime": "2026-09-01T00:00:00Z",
                  "type": "AsymmetricX509Cert", "usage": "Verify"}]}""")));
    }

    @Test
    void aCertificateReadWithoutTheOthersKeyDataIsNotRewritten() {
        arm.server.stubFor(graphGet("/applications/" + DEPLOYER_APP).withQueryParam("$select", equalTo("keyCredentials"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("graph/application-cw-deployer-certificates.json")
                                .replaceAll("\"key\": \"[^\"]*\"", "\"key\": null"))));
        Resource cert = credential("cw-deployer/CN=cw-deployer");
        Resource stillValid = cert.toBuilder().attributes(cert.attributes().deepCopy().put("active", true)).build();
        RemediationPlan plan = plan(stillValid, remediator.plan(stillValid).orElseThrow());

        assertThatThrownBy(() -> remediator.apply(session, plan)).hasMessageContaining("7e8f9a0b")
                .hasMessageContaining("nothing was changed");
        arm.server.verify(0, patchRequestedFor(urlPathEqualTo(APP)));
    }

    @Test
    void withoutTheGraphPermissionTheApplyFailsNamingTheOperation() {
        arm.server.stubFor(graphGet("/applications/" + DEPLOYER_APP)
                .willReturn(ok("graph/application-cw-deployer-secret.json")));
        arm.server.stubFor(post(urlPathEqualTo(APP + "/removePassword"))
                .willReturn(status(403, "graph/error-insufficient-privileges.json")));
        Resource secret = credential("cw-deployer/ci-pipeline");
        RemediationPlan plan = plan(secret, remediator.plan(secret).orElseThrow());

        assertThatThrownBy(() -> remediator.apply(session, plan)).isInstanceOfSatisfying(GraphException.class, e -> {
            assertThat(e.denied()).isTrue();
            assertThat(e.getMessage()).contains("graph:applications.removePassword")
                    .contains("Authorization_RequestDenied");
        });
    }
}
