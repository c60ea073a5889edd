package io.cloudwarden.provider.azure.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.DENIED_SUB;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.ALICE;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.DEPLOYER_SP;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.ROOT;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.TENANT;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.graphGet;
import static io.cloudwarden.provider.azure.identity.RecordedGraph.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.provider.azure.RecordedArm;
import io.cloudwarden.provider.azure.identity.user.EntraPrincipals;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntraPrincipalsTest {
    private final ResourceDescriptor users = new io.cloudwarden.provider.azure.identity.user.IdentityUser().descriptor();
    private RecordedArm arm;
    private AzureSession session;

    @BeforeEach
    void start() {
        arm = RecordedGraph.tenant(new RecordedArm());
        session = new AzureSession(arm.config(List.of(SUB, DENIED_SUB)));
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
    void usersArePagedThroughTheRebasedNextLinkAndNormalizedFieldByField() throws Exception {
        List<Resource> all = Collected.shard(session, users, SUB);

        assertThat(all).extracting(Resource::name).containsExactly("alice.nguyen@contoso.onmicrosoft.com",
                "bob.karlsson@contoso.onmicrosoft.com", "carol_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                "dave.old@contoso.onmicrosoft.com", "cw-deployer", "web-01");
        arm.server.verify(2, getRequestedFor(urlPathEqualTo(ROOT + "/users")));
        assertThat(all).allSatisfy(r -> assertThat(ResourceValidator.validate(r)).as(r.name()).isEmpty());
        arm.server.verify(getRequestedFor(urlPathEqualTo(ROOT + "/users"))
                .withQueryParam("$skiptoken", containing("RFNwdAIAAQAAACM6")));

        Resource alice = Collected.named(all, "alice.nguyen@contoso.onmicrosoft.com");
        assertThat(alice.id()).isEqualTo("/tenants/" + TENANT + "/users/" + ALICE);
        assertThat(alice.account()).isEqualTo(TENANT);
        assertThat(alice.region()).isEqualTo("global");
        assertThat(alice.nativeType()).isEqualTo("Microsoft.Graph/directoryObjects");
        // the later of the interactive (11-20) and non-interactive (11-22) sign-ins
        assertThat(alice.attributes()).isEqualTo(json("""
                {"mfaEnabled": true, "admin": true, "consoleAccess": true,
                 "lastUsedAt": "2026-11-22T21:05:10Z", "enabled": true, "principalType": "member"}"""));
        assertThat(alice.raw().path("cloudwarden").path("privilegedRoles")).containsExactly(
                json("\"Global Administrator\""));

        // admin through the Tier0-Admins group that holds Global Administrator
        assertThat(Collected.named(all, "bob.karlsson@contoso.onmicrosoft.com").attributes()).isEqualTo(json("""
                {"mfaEnabled": false, "admin": true, "consoleAccess": true,
                 "lastUsedAt": "2026-10-02T16:45:00Z", "enabled": true, "principalType": "member"}"""));
        assertThat(Collected.named(all, "carol_fabrikam.com#EXT#@contoso.onmicrosoft.com").attributes())
                .isEqualTo(json("""
                        {"mfaEnabled": true, "admin": false, "consoleAccess": true,
                         "lastUsedAt": null, "enabled": true, "principalType": "guest"}"""));
        // disabled: not enabled, no console access, and the registration report does not list disabled users
        assertThat(Collected.named(all, "dave.old@contoso.onmicrosoft.com").attributes()).isEqualTo(json("""
                {"mfaEnabled": null, "admin": false, "consoleAccess": false,
                 "lastUsedAt": "2025-06-30T07:00:00Z", "enabled": false, "principalType": "member"}"""));
    }

    @Test
    void servicePrincipalsAreTheTenantsOwnWorkloadsWithoutConsoleOrMfa() throws Exception {
        List<Resource> all = Collected.shard(session, users, SUB);

        Resource deployer = Collected.named(all, "cw-deployer");
        assertThat(deployer.id()).isEqualTo("/tenants/" + TENANT + "/servicePrincipals/" + DEPLOYER_SP);
        assertThat(deployer.attributes()).isEqualTo(json("""
                {"mfaEnabled": null, "admin": true, "consoleAccess": false,
                 "lastUsedAt": null, "enabled": true, "principalType": "servicePrincipal"}"""));
        assertThat(Collected.named(all, "web-01").attributes().get("admin").asBoolean()).isFalse();
        // first-party Microsoft and other publishers' multi-tenant apps are not this tenant's identities
        assertThat(all).extracting(Resource::name).doesNotContain("Microsoft Graph", "Fabrikam Backup (multi-tenant)");
    }

    @Test
    void unreadableRegistrationReportLeavesMfaUnknownNotFalse() throws Exception {
        arm.server.stubFor(graphGet("/reports/authenticationMethods/userRegistrationDetails").atPriority(1)
                .willReturn(status(403, "graph/error-non-premium-tenant.json")));

        List<Resource> all = Collected.shard(session, users, SUB);

        assertThat(all).hasSize(6).allSatisfy(r -> assertThat(r.attributes().get("mfaEnabled").isNull()).isTrue());
        assertThat(Collected.named(all, "alice.nguyen@contoso.onmicrosoft.com").attributes().get("admin").asBoolean())
                .isTrue();
    }

    @Test
    void deniedSignInActivityIsReReadWithoutItAndLastUsedAtIsNull() throws Exception {
        arm.server.stubFor(graphGet("/users").atPriority(1).withQueryParam("$select", containing("signInActivity"))
                .willReturn(status(403, "graph/error-non-premium-tenant.json")));
        arm.server.stubFor(graphGet("/users").atPriority(2).withQueryParam("$select", notContaining("signInActivity"))
                .willReturn(RecordedGraph.ok("graph/users-without-signin.json")));

        Resource alice = Collected.named(Collected.shard(session, users, SUB), "alice.nguyen@contoso.onmicrosoft.com");

        assertThat(alice.attributes()).isEqualTo(json("""
                {"mfaEnabled": true, "admin": true, "consoleAccess": true,
                 "lastUsedAt": null, "enabled": true, "principalType": "member"}"""));
    }

    @Test
    void insufficientPrivilegesFailTheShardWithGraphsErrorCode() {
        arm.server.stubFor(graphGet("/users").atPriority(1)
                .willReturn(status(403, "graph/error-insufficient-privileges.json")));

        assertThatThrownBy(() -> Collected.shard(session, users, SUB))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.AZURE);
                    assertThat(e.nativeCode()).isEqualTo("Authorization_RequestDenied");
                    assertThat(e.operation()).isEqualTo("graph:users.list");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("403", "Insufficient privileges")
                            .doesNotContain("cloudwarden-static-test-token");
                });
    }

    @Test
    void unreadableDirectoryRolesFailTheShardRatherThanReportingNobodyAsAdmin() {
        arm.server.stubFor(graphGet("/directoryRoles").atPriority(1)
                .willReturn(status(403, "graph/error-insufficient-privileges.json")));

        assertThatThrownBy(() -> Collected.shard(session, users, SUB))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.operation()).isEqualTo("graph:directoryRoles.list"));
    }

    @Test
    void theTenantIsReadOnceNotOncePerSubscription() {
        assertThat(Collected.shard(session, users, DENIED_SUB)).isEmpty();
        arm.server.verify(0, getRequestedFor(urlPathEqualTo(ROOT + "/users")));
    }

    @Test
    void tenantComesFromOrganizationOnceOrFromTheTenantIdSetting() {
        Collected.shard(session, users, SUB);
        Collected.shard(session, users, SUB);
        arm.server.verify(1, getRequestedFor(urlPathEqualTo(ROOT + "/organization")));

        var config = arm.config(List.of(SUB));
        var settings = new java.util.HashMap<>(config.settings());
        settings.put("tenantId", TENANT);
        try (AzureSession withTenant = new AzureSession(new io.cloudwarden.engine.spi.ProviderConfig(Cloud.AZURE,
                config.endpoint(), config.accounts(), config.regions(), settings))) {
            assertThat(withTenant.graph().tenantId()).isEqualTo(TENANT);
        }
        arm.server.verify(1, getRequestedFor(urlPathEqualTo(ROOT + "/organization")));
    }

    /**
     * identity.user and identity.key are two shards collected in parallel, and both ask for the tenant first: the
     * second must wait for the first's {@code GET /organization} rather than send its own.
     */
    @Test
    void concurrentShardsReadTheTenantOnce() throws Exception {
        arm.server.stubFor(graphGet("/organization").atPriority(1).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"value\":[{\"id\":\"" + TENANT + "\"}]}")
                        .withFixedDelay(1500)));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> session.graph().tenantId());
            var second = pool.submit(() -> session.graph().tenantId());
            assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(TENANT);
            assertThat(second.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(TENANT);
        } finally {
            pool.shutdownNow();
        }
        arm.server.verify(1, getRequestedFor(urlPathEqualTo(ROOT + "/organization")));
    }

    @Test
    void graphCallsCarryTheStaticBearerTokenOverHttps() {
        Collected.shard(session, users, SUB);
        arm.server.verify(getRequestedFor(urlPathEqualTo(ROOT + "/servicePrincipals"))
                .withHeader("Authorization", equalTo("Bearer cloudwarden-static-test-token")));
    }

    @Test
    void fetchReadsOneUserWithItsRegistrationAndIsEmptyWhenGone() throws Exception {
        arm.json(graphGet("/users/" + ALICE), "graph/user-alice.json");
        arm.json(graphGet("/reports/authenticationMethods/userRegistrationDetails/" + ALICE),
                "graph/registration-alice.json");

        var item = users.collector().fetch(session, new ResourceRef(Cloud.AZURE, TENANT, "global",
                ResourceTypes.IDENTITY_USER, "/TENANTS/" + TENANT + "/Users/" + ALICE)).orElseThrow();
        Resource alice = Collected.resource(users, item);

        assertThat(alice.id()).isEqualTo("/tenants/" + TENANT + "/users/" + ALICE);
        assertThat(alice.attributes()).isEqualTo(json("""
                {"mfaEnabled": true, "admin": true, "consoleAccess": true,
                 "lastUsedAt": "2026-11-22T21:05:10Z", "enabled": true, "principalType": "member"}"""));

        assertThat(users.collector().fetch(session, new ResourceRef(Cloud.AZURE, TENANT, "global",
                ResourceTypes.IDENTITY_USER, "/tenants/" + TENANT + "/users/00000000-0000-0000-0000-000000000000")))
                .isEmpty();
    }

    @Test
    void fetchOfAnIdOutsideTheSchemeNamesTheExpectedShape() {
        assertThatThrownBy(() -> users.collector().fetch(session, new ResourceRef(Cloud.AZURE, SUB, "",
                ResourceTypes.IDENTITY_USER, RecordedArm.VM)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/tenants/<tenantId>/users/<objectId>");
    }
}
