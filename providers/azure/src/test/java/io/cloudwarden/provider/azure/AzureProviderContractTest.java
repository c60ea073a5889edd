package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.identity.RecordedGraph;
import io.cloudwarden.testkit.contract.ProviderContract;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shared provider contract over the recorded Azure estate (ARM, Resource Graph, Microsoft Graph). */
class AzureProviderContractTest extends ProviderContract {
    @Override
    protected Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    protected RecordedApiServer startServer() {
        return RecordedArm.startServer();
    }

    @Override
    protected ProviderConfig config(URI endpoint) {
        return RecordedArm.config(endpoint, List.of(RecordedArm.SUB));
    }

    @Override
    protected void stubEstate(RecordedApiServer api) {
        RecordedGraph.tenant(new RecordedArm(api).estate().scaleSets());
    }

    @Override
    protected Paging paging() {
        return new Paging(ResourceTypes.STORAGE_BUCKET, List.of(RecordedArm.ACCOUNT_LOGS),
                List.of(RecordedArm.ACCOUNT_DATA));
    }

    @Override
    protected String failingType() {
        return ResourceTypes.NETWORK_FIREWALL;
    }

    @Override
    protected void failReadsOf(String type, int status, RecordedApiServer api) {
        assertThat(type).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        api.stub(RecordedArm.graph(RecordedArm.SUB, "Microsoft.Network/networkSecurityGroups").atPriority(1)
                .willReturn(status == 403
                        ? RecordedApiServer.recorded(403, "application/json; charset=utf-8",
                                "error-authorization-failed.json")
                        : aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                                .withBody("{\"error\": {\"code\": \"InternalServerError\", \"message\": \"Encountered "
                                        + "internal server error.\"}}")));
    }

    /** Microsoft Graph paths (under {@code <endpoint>/graph/v1.0}) and the application permission each needs. */
    private static final Map<String, String> GRAPH = Map.of(
            "organization", "Organization.Read.All",
            "users", "User.Read.All",
            "servicePrincipals", "Application.Read.All",
            "applications", "Application.Read.All",
            "directoryRoles", "RoleManagement.Read.Directory",
            "groups", "GroupMember.Read.All",
            "reports", "AuditLog.Read.All");

    /**
     * An ARM request needs the read operation of the resource type its path names: the provider namespace after
     * the last {@code /providers/} and every other segment after it ({@code .../storageAccounts/x/blobServices/
     * default/containers} → {@code Microsoft.Storage/storageAccounts/blobServices/containers/read}); a Resource
     * Graph query is {@code Microsoft.ResourceGraph/resources/read}. Microsoft Graph reads need the permission of
     * their collection ({@link #GRAPH}); users with their sign-in activity also {@code AuditLog.Read.All}.
     */
    @Override
    protected String permissionOf(LoggedRequest r) {
        String url = r.getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        if (path.startsWith(RecordedGraph.ROOT + "/")) {
            String collection = path.substring(RecordedGraph.ROOT.length() + 1).split("/")[0];
            if (collection.equals("users") && r.getUrl().contains("signInActivity")) {
                return "AuditLog.Read.All";
            }
            return GRAPH.getOrDefault(collection, "unknown Graph " + r.getUrl());
        }
        if (path.matches("/metrics/[a-z0-9]+/subscriptions/[^/]+/metrics:getBatch")) {
            return "Microsoft.Insights/metrics/read"; // the regional metrics batch API
        }
        if (path.equals("/subscriptions")) {
            return "Microsoft.Resources/subscriptions/read";
        }
        int providers = path.lastIndexOf("/providers/");
        if (providers < 0 || !r.getMethod().getName().equals(path.endsWith(
                "/Microsoft.ResourceGraph/resources") ? "POST" : "GET")) {
            return "unknown ARM " + r.getMethod() + " " + url;
        }
        String[] segments = path.substring(providers + "/providers/".length()).split("/");
        StringBuilder operation = new StringBuilder(segments[0]);
        for (int i = 1; i < segments.length; i += 2) {
            operation.append('/').append(segments[i]);
        }
        return operation.append("/read").toString();
    }

    @Test
    void everyModelTypeIsSupportedIncludingTheEntraIdTypes() {
        assertThat(provider()).isInstanceOf(AzureProvider.class);
        assertThat(provider().descriptors()).extracting(ResourceDescriptor::type)
                .containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(provider().unsupportedTypes()).isEmpty();
        assertThat(provider().descriptors()).allSatisfy(d -> assertThat(d.nativeType()).startsWith("Microsoft."));
    }

    @Test
    void entraIdTypesReadThroughGraphPermissionsAndArmTypesThroughArmOperations() {
        assertThat(provider().descriptors()).allSatisfy(d -> assertThat(d.readPermissions()).as(d.type())
                .allMatch(p -> d.nativeType().startsWith("Microsoft.Graph/") != p.startsWith("Microsoft."),
                        "Graph permissions for Microsoft.Graph/ types, ARM operations for the others"));
    }

    @Test
    void baselineMapperDeclaresTheAzurermTypes() {
        assertThat(provider().baselineMapper().terraformTypes()).contains("azurerm_storage_account",
                "azurerm_storage_container", "azurerm_network_security_group", "azurerm_network_security_rule",
                "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_key_vault_key");
    }
}
