package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.testkit.contract.ProviderContract;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared provider contract over the recorded GCP estate, and the GCP-only declarations and settings. */
class GcpProviderContractTest extends ProviderContract {
    @Override
    protected Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    protected ProviderConfig config(URI endpoint) {
        return RecordedApi.config(endpoint);
    }

    @Override
    protected void stubEstate(RecordedApiServer api) {
        RecordedApi.stubEstate(api.wireMock());
        RecordedApi.stubGroupsAndUtilization(api.wireMock());
    }

    @Override
    protected Paging paging() {
        return new Paging(ResourceTypes.STORAGE_BUCKET, List.of("//storage.googleapis.com/cw-demo-public-assets"),
                List.of("//storage.googleapis.com/cw-demo-audit-logs"));
    }

    @Override
    protected String failingType() {
        return ResourceTypes.NETWORK_FIREWALL;
    }

    @Override
    protected void failReadsOf(String type, int status, RecordedApiServer api) {
        assertThat(type).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        api.stub(RecordedApi.assets(GcpIds.FIREWALL_TYPE, RecordedApi.RESOURCE).atPriority(1).willReturn(status == 403
                ? RecordedApiServer.recorded(403, "application/json", "cai/permission-denied.json")
                : aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\": {\"code\": " + status + ", \"message\": \"Internal error encountered.\", "
                                + "\"status\": \"INTERNAL\"}}")));
    }

    /**
     * The IAM permission of a Google API request: Cloud Asset Inventory ListAssets (resources or IAM policies) and
     * asset history, Storage buckets.get/getIamPolicy, Compute get, OS Config inventories and vulnerability reports.
     */
    @Override
    protected String permissionOf(LoggedRequest r) {
        String path = r.getUrl().contains("?") ? r.getUrl().substring(0, r.getUrl().indexOf('?')) : r.getUrl();
        String method = r.getMethod().getName();
        if (method.equals("GET") && path.matches("/v1/(projects|folders|organizations)/[^/]+/assets")) {
            String contentType = r.queryParameter("contentType").isPresent()
                    ? r.queryParameter("contentType").firstValue() : "";
            return contentType.equals(RecordedApi.IAM_POLICY) ? "cloudasset.assets.listIamPolicy"
                    : "cloudasset.assets.listResource";
        }
        if (path.matches("/v1/projects/[^/]+:batchGetAssetsHistory")) {
            return "cloudasset.assets.exportResource";
        }
        if (method.equals("GET") && path.matches("/storage/v1/b/[^/]+")) {
            return "storage.buckets.get";
        }
        if (method.equals("GET") && path.matches("/storage/v1/b/[^/]+/iam")) {
            return "storage.buckets.getIamPolicy";
        }
        if (method.equals("GET") && path.matches("/compute/v1/projects/[^/]+/global/firewalls/[^/]+")) {
            return "compute.firewalls.get";
        }
        if (method.equals("GET") && path.matches("/compute/v1/projects/[^/]+/zones/[^/]+/instances/[^/]+")) {
            return "compute.instances.get";
        }
        if (method.equals("GET") && path.matches("/v1/projects/[^/]+/locations/[^/]+/instances/-/inventories")) {
            return "osconfig.inventories.list";
        }
        if (method.equals("GET")
                && path.matches("/v1/projects/[^/]+/locations/[^/]+/instances/-/vulnerabilityReports")) {
            return "osconfig.vulnerabilityReports.list";
        }
        if (method.equals("GET") && path.matches("/v3/projects/[^/]+/timeSeries")) {
            return "monitoring.timeSeries.list";
        }
        if (path.matches("/compute/v1/projects/[^/]+/aggregated/autoscalers")) {
            return "compute.autoscalers.list";
        }
        if (path.matches("/compute/v1/projects/[^/]+/(zones|regions)/[^/]+/instanceGroupManagers/[^/]+/"
                + "listManagedInstances")) {
            return "compute.instanceGroupManagers.get";
        }
        if (path.matches("/compute/v1/projects/[^/]+/(zones|regions)/[^/]+/instanceGroupManagers(/[^/]+)?")
                || path.matches("/compute/v1/projects/[^/]+/aggregated/instanceGroupManagers")) {
            return path.matches(".*/instanceGroupManagers/[^/]+") ? "compute.instanceGroupManagers.get"
                    : "compute.instanceGroupManagers.list";
        }
        return "unknown " + method + " " + r.getUrl();
    }

    @Test
    void everyTypeIsDescribedPerProjectAndReadThroughCloudAssetInventoryButManagedGroups() {
        assertThat(provider()).isInstanceOf(GcpProvider.class);
        List<ResourceDescriptor> ds = provider().descriptors();
        assertThat(ds).extracting(ResourceDescriptor::type).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(ds).extracting(ResourceDescriptor::nativeType)
                .allMatch(t -> t.matches("[a-z]+\\.googleapis\\.com/[A-Z][A-Za-z]+"));
        assertThat(ds).allSatisfy(d -> {
            assertThat(d.scope()).isEqualTo(Scope.ACCOUNT);
            // managed instance groups are read from the Compute API (members, autoscalers), every other type via CAI
            if (!d.type().equals(ResourceTypes.COMPUTE_GROUP)) {
                assertThat(d.readPermissions()).contains("cloudasset.assets.listResource");
            }
        });
        assertThat(provider().unsupportedTypes()).isEmpty();
    }

    @Test
    void bucketReadsDeclareTheIamPolicyPermissions() {
        ResourceDescriptor bucket = provider().descriptors().stream()
                .filter(d -> d.type().equals(ResourceTypes.STORAGE_BUCKET)).findFirst().orElseThrow();
        assertThat(bucket.readPermissions()).contains("cloudasset.assets.listIamPolicy",
                "storage.buckets.getIamPolicy");
    }

    @Test
    void baselineMapperOnlyClaimsGoogleTypes() {
        assertThat(provider().baselineMapper().terraformTypes()).allMatch(t -> t.startsWith("google_"))
                .contains("google_storage_bucket", "google_storage_bucket_iam_member",
                        "google_storage_bucket_iam_binding", "google_storage_bucket_iam_policy");
    }

    @Test
    void sessionTargetsAreTheConfiguredProjects() {
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of("cw-demo-prod", "cw-demo-dev"), List.of(), Map.of());
        try (var session = provider().open(config)) {
            assertThat(session.cloud()).isEqualTo(Cloud.GCP);
            assertThat(session.targets()).extracting(ScanTarget::account).containsExactly("cw-demo-prod",
                    "cw-demo-dev");
        }
    }

    @Test
    void sessionWithoutProjectsSaysWhatToConfigure() {
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of(), List.of(), Map.of());
        try (var session = provider().open(config)) {
            assertThatThrownBy(session::targets).isInstanceOf(ProviderException.class).hasMessageContaining("accounts");
        }
    }

    @Test
    void badSettingsNameTheSettingAndWhatWasExpected() {
        ProviderConfig unreadable = new ProviderConfig(Cloud.GCP, Optional.empty(), List.of("p"), List.of(),
                Map.of("credentialsFile", "/nonexistent/sa.json"));
        assertThatThrownBy(() -> provider().open(unreadable)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.credentialsFile");
        ProviderConfig badRetry = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of("p"), List.of(), Map.of("maxAttempts", "many"));
        assertThatThrownBy(() -> provider().open(badRetry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.maxAttempts").hasMessageContaining("integer");
    }
}
