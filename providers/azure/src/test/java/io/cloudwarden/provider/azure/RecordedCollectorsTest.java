package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.DENIED_SUB;
import static io.cloudwarden.provider.azure.RecordedArm.MALFORMED_SUB;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordedCollectorsTest {
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
    void storageAccountsArePagedWithSkipTokenAndNormalizedFieldByField() throws Exception {
        List<Resource> accounts = Estate.collect(session, ResourceTypes.STORAGE_BUCKET, SUB);

        assertThat(accounts).extracting(Resource::name).containsExactly("cwlogsprod", "cwdataprod");
        arm.server.verify(2, postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH)));

        Resource logs = Estate.byName(accounts, "cwlogsprod");
        assertThat(logs.id()).isEqualTo(RecordedArm.ACCOUNT_LOGS);
        assertThat(logs.account()).isEqualTo(SUB);
        assertThat(logs.region()).isEqualTo("westeurope");
        assertThat(logs.tags()).containsEntry("env", "prod").containsEntry("owner", "platform");
        assertThat(logs.attributes().get("publicAccess").asBoolean()).isTrue();
        assertThat(logs.attributes().get("encryption")).isEqualTo(
                json("{\"enabled\": true, \"keyType\": \"provider-managed\"}"));
        assertThat(logs.attributes().get("versioning").asBoolean()).isTrue();
        assertThat(logs.attributes().get("minTlsVersion").asText()).isEqualTo("1.0");
        assertThat(logs.attributes().get("logging").asBoolean()).isTrue();
        assertThat(logs.attributes().get("httpsOnly").asBoolean()).isFalse();
        assertThat(logs.raw().path("cloudwarden").path("containers")).hasSize(2);

        Resource data = Estate.byName(accounts, "cwdataprod");
        assertThat(data.region()).isEqualTo("northeurope");
        assertThat(data.attributes()).isEqualTo(json("""
                {"publicAccess": false, "encryption": {"enabled": true, "keyType": "customer-managed"},
                 "versioning": false, "minTlsVersion": "1.2", "logging": false, "httpsOnly": true}"""));
    }

    @Test
    void networkSecurityGroupRulesAreNormalizedAndShadowedInternetRulesLeftOut() throws Exception {
        Resource nsg = Estate.collect(session, ResourceTypes.NETWORK_FIREWALL, SUB).get(0);

        assertThat(nsg.id()).isEqualTo(RecordedArm.NSG);
        assertThat(nsg.attributes().get("rules")).containsExactlyInAnyOrderElementsOf(json("""
                [
                 {"direction":"ingress","action":"allow","protocol":"tcp","fromPort":22,"toPort":22,"ranges":["0.0.0.0/0","::/0"]},
                 {"direction":"ingress","action":"allow","protocol":"tcp","fromPort":443,"toPort":443,"ranges":["0.0.0.0/0","::/0"]},
                 {"direction":"ingress","action":"allow","protocol":"tcp","fromPort":8443,"toPort":8444,"ranges":["0.0.0.0/0","::/0"]},
                 {"direction":"ingress","action":"deny","protocol":"all","fromPort":23,"toPort":23,"ranges":["0.0.0.0/0"]},
                 {"direction":"ingress","action":"allow","protocol":"tcp","fromPort":23,"toPort":23,"ranges":["0.0.0.0/0","::/0"]},
                 {"direction":"ingress","action":"allow","protocol":"tcp","fromPort":3389,"toPort":3389,"ranges":["10.0.250.0/26","10.0.251.0/26"]},
                 {"direction":"egress","action":"allow","protocol":"udp","fromPort":53,"toPort":53,"ranges":["168.63.129.16/32"]}
                ]"""));
        // telnet (23) is allowed at priority 300 but denied from anywhere at priority 90: not open to the Internet
        assertThat(nsg.attributes().get("internetIngress")).containsExactlyInAnyOrderElementsOf(json("""
                [{"protocol":"tcp","fromPort":22,"toPort":22},
                 {"protocol":"tcp","fromPort":443,"toPort":443},
                 {"protocol":"tcp","fromPort":8443,"toPort":8444}]"""));
    }

    @Test
    void virtualMachinesResolvePublicIpThroughTheNic() throws Exception {
        Resource vm = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB).get(0);

        assertThat(vm.name()).isEqualTo("web-01");
        assertThat(vm.tags()).containsEntry("role", "web");
        assertThat(vm.attributes()).isEqualTo(json("""
                {"state": "running", "publicIp": "20.54.118.7",
                 "imageId": "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
                 "identity": "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4",
                 "diskEncryption": true, "metadataHardened": true,
                 "os": {"family": "linux", "name": "ubuntu", "version": "22.04"}, "patch": null,
                 "utilization": {"cpuAvg": 21.93, "cpuP95": 31.81, "windowDays": 1, "samples": 282}, "group": null}"""));
    }

    @Test
    void keyVaultKeysReportRotationPolicy() throws Exception {
        List<Resource> keys = Estate.collect(session, ResourceTypes.KMS_KEY, SUB);

        assertThat(keys).extracting(Resource::name).containsExactly("cmk-storage", "legacy-signing");
        assertThat(Estate.byName(keys, "cmk-storage").attributes()).isEqualTo(
                json("{\"enabled\": true, \"rotationEnabled\": true, \"rotationPeriodDays\": 90,"
                        + " \"pendingDeletion\": false, \"rotationSupported\": true}"));
        assertThat(Estate.byName(keys, "legacy-signing").attributes()).isEqualTo(
                json("{\"enabled\": false, \"rotationEnabled\": false, \"rotationPeriodDays\": null,"
                        + " \"pendingDeletion\": false, \"rotationSupported\": true}"));
        assertThat(Estate.byName(keys, "cmk-storage").region()).isEqualTo("westeurope");
    }

    @Test
    void fetchReadsOneResourceByIdAndIsEmptyWhenGone() {
        var keys = new AzureProvider().descriptors().stream().filter(d -> d.type().equals(ResourceTypes.KMS_KEY))
                .findFirst().orElseThrow();
        var found = keys.collector().fetch(session, new ResourceRef(Cloud.AZURE, SUB, "", ResourceTypes.KMS_KEY,
                RecordedArm.VAULT + "/keys/cmk-storage"));
        assertThat(found).hasValueSatisfying(i -> assertThat(i.json().path("name").asText()).isEqualTo("cmk-storage"));

        var missing = keys.collector().fetch(session, new ResourceRef(Cloud.AZURE, SUB, "", ResourceTypes.KMS_KEY,
                RecordedArm.VAULT + "/keys/deleted-key"));
        assertThat(missing).isEmpty();
    }

    @Test
    void fetchOfAVirtualMachineReadsTheArmInstanceView() throws Exception {
        arm.json(RecordedArm.armGet(RecordedArm.VM).withQueryParam("$expand", equalTo("instanceView"))
                .withQueryParam("api-version", equalTo("2024-07-01")), "vm-web-01-get.json");
        var vms = new AzureProvider().descriptors().stream()
                .filter(d -> d.type().equals(ResourceTypes.COMPUTE_INSTANCE)).findFirst().orElseThrow();

        var item = vms.collector().fetch(session, new ResourceRef(Cloud.AZURE, SUB, "westeurope",
                ResourceTypes.COMPUTE_INSTANCE, RecordedArm.VM)).orElseThrow();
        Resource vm = Estate.toResource(vms, item);

        assertThat(vm.id()).isEqualTo(RecordedArm.VM);
        assertThat(vm.region()).isEqualTo("westeurope");
        assertThat(vm.attributes()).isEqualTo(json("""
                {"state": "deallocated", "publicIp": "20.54.118.7",
                 "imageId": "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
                 "identity": "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4",
                 "diskEncryption": true, "metadataHardened": true,
                 "os": {"family": "linux", "name": "ubuntu", "version": "22.04"}, "patch": null,
                 "utilization": {"cpuAvg": 21.93, "cpuP95": 31.81, "windowDays": 1, "samples": 282}, "group": null}"""));
    }

    @Test
    void throttledQueryIsRetriedAfterRetryAfter() {
        arm.server.resetAll();
        arm.server.stubFor(RecordedArm.graph(SUB, "Microsoft.Network/networkSecurityGroups").inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("error-throttled.json")))
                .willSetStateTo("recovered"));
        arm.server.stubFor(RecordedArm.graph(SUB, "Microsoft.Network/networkSecurityGroups").inScenario("throttle")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("rg-nsg.json"))));

        List<Resource> nsgs = Estate.collect(session, ResourceTypes.NETWORK_FIREWALL, SUB);

        assertThat(nsgs).extracting(Resource::name).containsExactly("web-nsg");
        arm.server.verify(2, postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH)));
        assertThat(session.callStatistics()).filteredOn(c -> c.service().equals("resourcegraph"))
                .containsExactly(new io.cloudwarden.model.ApiCalls(Cloud.AZURE, "resourcegraph", 1, 1, 1));
    }

    @Test
    void storageAccountEnrichmentReadsAreCountedAsArmCallsAndKeepGraphOrder() {
        List<Resource> accounts = Estate.collect(session, ResourceTypes.STORAGE_BUCKET, SUB);

        assertThat(accounts).extracting(Resource::name).containsExactly("cwlogsprod", "cwdataprod");
        long armGets = arm.server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("GET")).count();
        assertThat(session.callStatistics()).filteredOn(c -> c.service().equals("arm"))
                .singleElement().satisfies(c -> {
                    assertThat(c.calls()).isEqualTo(armGets);
                    assertThat(c.throttles()).isZero();
                });
        assertThat(session.armReads(SUB).inFlight()).isZero();
    }

    @Test
    void deniedSubscriptionFailsOnlyItsShardWithTheArmErrorCode() {
        arm.server.stubFor(RecordedArm.graph(DENIED_SUB, "Microsoft.Storage/storageAccounts").willReturn(
                aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("error-authorization-failed.json"))));

        assertThatThrownBy(() -> Estate.collect(session, ResourceTypes.STORAGE_BUCKET, DENIED_SUB))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.AZURE);
                    assertThat(e.nativeCode()).isEqualTo("AuthorizationFailed");
                    assertThat(e.operation()).isEqualTo("Microsoft.ResourceGraph/resources/read");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("403").doesNotContain(AzureSession.DUMMY_TOKEN);
                });
        assertThat(Estate.collect(session, ResourceTypes.STORAGE_BUCKET, SUB)).hasSize(2);
    }

    @Test
    void malformedBodyIsAProviderExceptionNotAPartialList() {
        arm.server.stubFor(RecordedArm.graph(MALFORMED_SUB, "Microsoft.Compute/virtualMachines").willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("malformed-truncated.json"))));

        assertThatThrownBy(() -> Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, MALFORMED_SUB))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.nativeCode()).isEqualTo("MalformedResponse");
                    assertThat(e.getMessage()).contains("not valid JSON");
                });
    }

    @Test
    void queriesCarryTheStaticBearerTokenOverHttps() {
        Estate.collect(session, ResourceTypes.NETWORK_FIREWALL, SUB);
        arm.server.verify(postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH))
                .withHeader("Authorization", equalTo("Bearer " + AzureSession.DUMMY_TOKEN))
                .withRequestBody(matchingJsonPath("$.options.resultFormat", equalTo("objectArray"))));
    }

    @Test
    void subscriptionsAreDiscoveredWhenNoneAreConfigured() {
        arm.json(RecordedArm.armGet("/subscriptions").withQueryParam("$skiptoken", equalTo("c3Vic2NyaXB0aW9ucy8y")),
                "subscriptions-page2.json");
        arm.server.stubFor(RecordedArm.armGet("/subscriptions").atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(RecordedArm.fixture("subscriptions.json"))));

        try (AzureSession discovered = new AzureSession(arm.config(List.of()))) {
            assertThat(discovered.targets()).extracting(t -> t.account()).containsExactly(SUB, DENIED_SUB);
        }
        arm.server.verify(2, getRequestedFor(urlPathEqualTo("/subscriptions")));
    }
}
