package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.azure.session.AzureRest;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * WireMock over HTTPS serving recorded ARM / Resource Graph responses. The server's self-signed certificate is in
 * {@code tls/test-server.p12}; surefire points {@code javax.net.ssl.trustStore} at {@code tls/test-truststore.p12}.
 */
public final class RecordedArm implements AutoCloseable {
    public static final String SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    public static final String DENIED_SUB = "2c2a4d2f-7a61-4cf3-9f3e-6e1d1d9a2b11";
    public static final String MALFORMED_SUB = "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a";
    public static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg-prod";
    public static final String ACCOUNT_LOGS = RG + "/providers/Microsoft.Storage/storageAccounts/cwlogsprod";
    public static final String ACCOUNT_DATA = RG + "/providers/Microsoft.Storage/storageAccounts/cwdataprod";
    public static final String NSG = RG + "/providers/Microsoft.Network/networkSecurityGroups/web-nsg";
    public static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/web-01";
    public static final String VAULT = RG + "/providers/Microsoft.KeyVault/vaults/kv-cw-prod";
    public static final String SCALE_SETS = RG + "/providers/Microsoft.Compute/virtualMachineScaleSets";
    static final String GRAPH = "/providers/Microsoft.ResourceGraph/resources";
    /** The metrics batch endpoint of westeurope as the endpoint override serves it. */
    public static final String METRICS_BATCH = "/metrics/westeurope/subscriptions/" + SUB + "/metrics:getBatch";

    public final RecordedApiServer api;
    public final WireMockServer server;

    public RecordedArm() {
        this(startServer());
    }

    /** The ARM estate's stubs on a server someone else started (and closes: the contract suite's). */
    public RecordedArm(RecordedApiServer api) {
        this.api = api;
        this.server = api.wireMock();
    }

    /** HTTPS only: the Azure SDK's bearer-token policy refuses plain HTTP. */
    public static RecordedApiServer startServer() {
        return RecordedApiServer.https(Path.of("src/test/resources/tls/test-server.p12"), "changeit");
    }

    public URI endpoint() {
        return api.endpoint();
    }

    public ProviderConfig config(List<String> subscriptions) {
        return config(endpoint(), subscriptions);
    }

    /** Two retries 10 to 50 ms apart; utilization over the one day the recorded metrics (recorded/monitor) cover. */
    public static ProviderConfig config(URI endpoint, List<String> subscriptions) {
        return new ProviderConfig(Cloud.AZURE, Optional.of(endpoint), subscriptions, List.of(),
                Map.of("maxRetries", "2", "retryBaseDelayMillis", "10", "retryMaxDelayMillis", "50",
                        "utilizationWindowDays", "1"));
    }

    public static String fixture(String name) {
        return RecordedApiServer.fixture(name);
    }

    public void json(MappingBuilder mapping, String fixture) {
        server.stubFor(mapping.willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                "application/json; charset=utf-8").withBody(fixture(fixture))));
    }

    /** A Resource Graph query for one ARM type in one subscription (first page: no skip token). */
    public static MappingBuilder graph(String subscription, String armType) {
        return post(urlPathEqualTo(GRAPH)).withQueryParam("api-version", equalTo(AzureRest.RESOURCE_GRAPH_API))
                .withRequestBody(matchingJsonPath("$.subscriptions[0]", equalTo(subscription)))
                .withRequestBody(matchingJsonPath("$.query", containing("'" + armType + "'")));
    }

    public static MappingBuilder firstPage(MappingBuilder m) {
        return m.withRequestBody(notContaining("$skipToken"));
    }

    public static MappingBuilder armGet(String path) {
        return get(urlPathEqualTo(path));
    }

    /** The whole recorded estate of {@link #SUB}. */
    public RecordedArm estate() {
        json(firstPage(graph(SUB, "Microsoft.Storage/storageAccounts")), "rg-storage-page1.json");
        json(graph(SUB, "Microsoft.Storage/storageAccounts")
                .withRequestBody(matchingJsonPath("$.options['$skipToken']", containing("ew0KICAiJGlkIjogIjEiLA0K"))),
                "rg-storage-page2.json");
        json(armGet(ACCOUNT_LOGS + "/blobServices/default"), "blobservice-cwlogsprod.json");
        json(armGet(ACCOUNT_DATA + "/blobServices/default"), "blobservice-cwdataprod.json");
        json(armGet(ACCOUNT_LOGS + "/blobServices/default/containers").withQueryParam("$skipToken", equalTo(
                "/cwlogsprod/public-assets")), "containers-cwlogsprod-page2.json");
        server.stubFor(armGet(ACCOUNT_LOGS + "/blobServices/default/containers").atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("containers-cwlogsprod.json"))));
        json(armGet(ACCOUNT_DATA + "/blobServices/default/containers"), "containers-cwdataprod.json");
        json(armGet(ACCOUNT_LOGS + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings"),
                "diagnostics-cwlogsprod.json");
        json(armGet(ACCOUNT_DATA + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings"),
                "diagnostics-empty.json");
        json(graph(SUB, "Microsoft.Network/networkSecurityGroups"), "rg-nsg.json");
        json(graph(SUB, "Microsoft.Compute/virtualMachines"), "rg-vm.json");
        json(armGet(RG + "/providers/Microsoft.Network/networkInterfaces/web-01-nic"), "nic-web-01.json");
        json(armGet(RG + "/providers/Microsoft.Network/publicIPAddresses/web-01-pip"), "pip-web-01.json");
        json(post(urlPathEqualTo(METRICS_BATCH)).withQueryParam("metricnamespace",
                equalTo("Microsoft.Compute/virtualMachines")).withRequestBody(containing("/virtualMachines/web-01\"")),
                "monitor/batch-web-01.json");
        scaleSets();
        json(graph(SUB, "Microsoft.KeyVault/vaults"), "rg-vaults.json");
        json(armGet(VAULT + "/keys"), "keys-kv-cw-prod.json");
        json(armGet(VAULT + "/keys/cmk-storage"), "key-cmk-storage.json");
        json(armGet(VAULT + "/keys/legacy-signing"), "key-legacy-signing.json");
        return this;
    }

    /**
     * The scale sets of {@link #SUB} (Resource Graph, two pages), their autoscale setting, their members (Flexible:
     * VMs naming the set; Uniform: {@code computeresources} instances) and the members' CPU (metrics batch API).
     */
    public RecordedArm scaleSets() {
        json(firstPage(graph(SUB, "Microsoft.Compute/virtualMachineScaleSets")), "compute/vmss-page1.json");
        json(graph(SUB, "Microsoft.Compute/virtualMachineScaleSets").withRequestBody(matchingJsonPath(
                "$.options['$skipToken']", equalTo("ew0KICAiJGlkIjogInZtc3MtcGFnZS0yIg0KfQ=="))),
                "compute/vmss-page2.json");
        json(graph(SUB, "microsoft.insights/autoscalesettings"), "compute/vmss-autoscale.json");
        json(graph(SUB, "Microsoft.Compute/virtualMachines").withRequestBody(matchingJsonPath("$.query",
                containing("isnotempty(properties.virtualMachineScaleSet.id)"))), "compute/vmss-flexible-members.json");
        json(graph(SUB, "microsoft.compute/virtualmachinescalesets/virtualmachines"),
                "compute/vmss-uniform-members.json");
        json(post(urlPathEqualTo(METRICS_BATCH)).withQueryParam("metricnamespace",
                equalTo("Microsoft.Compute/virtualMachines")).withRequestBody(containing("web-vmss_")),
                "monitor/batch-web-vmss.json");
        json(post(urlPathEqualTo(METRICS_BATCH)).withQueryParam("metricnamespace",
                equalTo("Microsoft.Compute/virtualMachineScaleSets/virtualMachines")), "monitor/batch-api-vmss.json");
        return this;
    }

    @Override
    public void close() {
        api.close();
    }
}
