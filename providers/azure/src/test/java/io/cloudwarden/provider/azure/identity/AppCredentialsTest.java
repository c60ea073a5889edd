package io.cloudwarden.provider.azure.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.DEPLOYER_APP;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.DEPLOYER_APP_ID;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.LEGACY_APP;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.ROOT;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.TENANT;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.graphGet;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.provider.azure.RecordedArm;
import io.cloudwarden.provider.azure.identity.key.AppCredentials;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppCredentialsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final ResourceDescriptor keys = io.cloudwarden.provider.azure.identity.key.IdentityKey.descriptor(Clock.fixed(NOW, ZoneOffset.UTC));
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

    private static JsonNode json(String text) throws Exception {
        return ModelJson.mapper().readTree(text);
    }

    @Test
    void everyPasswordAndCertificateOfEveryApplicationPageIsOneKey() throws Exception {
        List<Resource> all = Collected.shard(session, keys, SUB);

        assertThat(all).extracting(Resource::name).containsExactly("cw-deployer/ci-pipeline",
                "cw-deployer/CN=cw-deployer", "legacy-reporting/5c6d7e8f-cccc-4b82-9d9e-0f1a2b3c4d5e",
                "legacy-reporting/rotation-next");
        arm.server.verify(2, getRequestedFor(urlPathEqualTo(ROOT + "/applications")));
        assertThat(all).allSatisfy(r -> assertThat(ResourceValidator.validate(r)).as(r.name()).isEmpty());

        Resource secret = Collected.named(all, "cw-deployer/ci-pipeline");
        assertThat(secret.id()).isEqualTo("/tenants/" + TENANT + "/applications/" + DEPLOYER_APP
                + "/credentials/8e1c5a2f-0d3b-4c6e-9f7a-1b2c3d4e5f60");
        assertThat(secret.account()).isEqualTo(TENANT);
        assertThat(secret.region()).isEqualTo("global");
        assertThat(secret.attributes()).isEqualTo(json("""
                {"active": true, "createdAt": "2026-05-01T09:00:00Z", "ageDays": 206, "lastUsedAt": null,
                 "owner": "%s", "credentialType": "password"}""".formatted(DEPLOYER_APP_ID)));

        assertThat(Collected.named(all, "cw-deployer/CN=cw-deployer").attributes()).isEqualTo(json("""
                {"active": false, "createdAt": "2025-01-15T00:00:00Z", "ageDays": 677, "lastUsedAt": null,
                 "owner": "%s", "credentialType": "certificate"}""".formatted(DEPLOYER_APP_ID)));
        assertThat(Collected.named(all, "legacy-reporting/5c6d7e8f-cccc-4b82-9d9e-0f1a2b3c4d5e").attributes())
                .isEqualTo(json("""
                        {"active": false, "createdAt": "2023-02-10T14:30:12.456700Z", "ageDays": 1381,
                         "lastUsedAt": null, "owner": "3c4d5e6f-bbbb-4a71-8c8d-9e0f1a2b3c4d",
                         "credentialType": "password"}"""));
        // dated in the future: not active yet, and no negative age
        assertThat(Collected.named(all, "legacy-reporting/rotation-next").attributes()).isEqualTo(json("""
                {"active": false, "createdAt": "2026-12-01T00:00:00Z", "ageDays": 0, "lastUsedAt": null,
                 "owner": "3c4d5e6f-bbbb-4a71-8c8d-9e0f1a2b3c4d", "credentialType": "password"}"""));
    }

    @Test
    void passwordHintsAndCertificateBlobsAreNotKept() {
        List<Resource> all = Collected.shard(session, keys, SUB);

        assertThat(all).allSatisfy(r -> assertThat(r.raw().has("hint") || r.raw().has("secretText")
                || r.raw().has("key")).as(r.name()).isFalse());
        assertThat(all.toString()).doesNotContain("Zx8", "q~4", "Wm2");
        Resource cert = Collected.named(all, "cw-deployer/CN=cw-deployer");
        assertThat(cert.raw().path("type").asText()).isEqualTo("AsymmetricX509Cert");
        assertThat(cert.raw().path("cloudwarden").path("application").path("id").asText()).isEqualTo(DEPLOYER_APP);
    }

    @Test
    void insufficientPrivilegesOnApplicationsFailTheShard() {
        arm.server.stubFor(graphGet("/applications").atPriority(1)
                .willReturn(status(403, "graph/error-insufficient-privileges.json")));

        assertThatThrownBy(() -> Collected.shard(session, keys, SUB))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.nativeCode()).isEqualTo("Authorization_RequestDenied");
                    assertThat(e.operation()).isEqualTo("graph:applications.list");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void throttledPageIsRetriedAfterRetryAfter() {
        arm.server.stubFor(graphGet("/applications").atPriority(1).inScenario("throttle")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(status(429, "graph/error-insufficient-privileges.json").withHeader("Retry-After", "1"))
                .willSetStateTo("recovered"));

        assertThat(Collected.shard(session, keys, SUB)).hasSize(4);
        arm.server.verify(3, getRequestedFor(urlPathEqualTo(ROOT + "/applications")));
    }

    @Test
    void fetchFindsTheCredentialInItsApplicationAndIsEmptyWhenRemoved() throws Exception {
        arm.json(graphGet("/applications/" + DEPLOYER_APP), "graph/application-cw-deployer.json");
        String base = "/tenants/" + TENANT + "/applications/" + DEPLOYER_APP + "/credentials/";

        var found = keys.collector().fetch(session, new ResourceRef(Cloud.AZURE, TENANT, "global",
                ResourceTypes.IDENTITY_KEY, base + "8E1C5A2F-0D3B-4C6E-9F7A-1B2C3D4E5F60"));
        assertThat(found).hasValueSatisfying(i -> assertThat(Collected.resource(keys, i).name())
                .isEqualTo("cw-deployer/ci-pipeline"));

        // the certificate was removed from the application since the last scan
        assertThat(keys.collector().fetch(session, new ResourceRef(Cloud.AZURE, TENANT, "global",
                ResourceTypes.IDENTITY_KEY, base + "4b7d9e1f-2a3c-4e5f-8a9b-0c1d2e3f4a5b"))).isEmpty();
        // the whole application is gone
        assertThat(keys.collector().fetch(session, new ResourceRef(Cloud.AZURE, TENANT, "global",
                ResourceTypes.IDENTITY_KEY, "/tenants/" + TENANT + "/applications/" + LEGACY_APP
                        + "/credentials/5c6d7e8f-cccc-4b82-9d9e-0f1a2b3c4d5e"))).isEmpty();
    }

    @Test
    void normalizerRejectsAnItemWithoutAStartTimeNamingTheField() throws Exception {
        NativeItem broken = new NativeItem("/tenants/t/applications/a/credentials/k", "t", "global", json("""
                {"keyId": "k", "cloudwarden": {"observedAt": "2026-11-23T10:00:00Z", "application": {"appId": "x"}}}"""));

        assertThatThrownBy(() -> AppCredentials.normalize(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startDateTime");
    }

    @Test
    void aCredentialWithoutEndNeverExpires() throws Exception {
        NativeItem open = new NativeItem("/tenants/t/applications/a/credentials/k", "t", "global", json("""
                {"keyId": "k", "startDateTime": "2020-01-01T00:00:00Z",
                 "cloudwarden": {"credentialType": "password", "observedAt": "2026-11-23T10:00:00Z",
                                 "application": {"appId": "x", "displayName": "app"}}}"""));

        assertThat(AppCredentials.normalize(open).attributes().get("active").asBoolean()).isTrue();
        assertThat(AppCredentials.normalize(open).name()).isEqualTo("app/k");
    }
}
