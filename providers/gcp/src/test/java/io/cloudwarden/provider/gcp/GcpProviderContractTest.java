package io.cloudwarden.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The SPI contract every provider meets, checked over every registered GCP descriptor and remediator. */
class GcpProviderContractTest {
    static final String GCP_PERMISSION = "[a-z]+(\\.[a-zA-Z]+){2,}";

    static CloudProvider loaded() {
        return ServiceLoader.load(CloudProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.cloud() == Cloud.GCP).findFirst().orElseThrow();
    }

    @Test
    void registeredThroughServiceLoader() {
        assertThat(loaded()).isInstanceOf(GcpProvider.class);
    }

    @Test
    void everyNormalizedTypeIsDescribedOnceAndPartitionedPerProject() {
        List<ResourceDescriptor> ds = loaded().descriptors();
        assertThat(ds).extracting(ResourceDescriptor::type).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(ds).extracting(ResourceDescriptor::nativeType).doesNotHaveDuplicates()
                .allMatch(t -> t.matches("[a-z]+\\.googleapis\\.com/[A-Z][A-Za-z]+"));
        assertThat(ds).allSatisfy(d -> {
            assertThat(d.scope()).isEqualTo(Scope.ACCOUNT);
            assertThat(d.readPermissions()).isNotEmpty().allMatch(p -> p.matches(GCP_PERMISSION));
            // managed instance groups are read from the Compute API (members, autoscalers), every other type via CAI
            if (!d.type().equals(ResourceTypes.COMPUTE_GROUP)) {
                assertThat(d.readPermissions()).contains("cloudasset.assets.listResource");
            }
        });
        assertThat(loaded().unsupportedTypes()).isEmpty();
    }

    @Test
    void bucketReadsDeclareTheIamPolicyPermissions() {
        ResourceDescriptor bucket = loaded().descriptors().stream()
                .filter(d -> d.type().equals(ResourceTypes.STORAGE_BUCKET)).findFirst().orElseThrow();
        assertThat(bucket.readPermissions()).contains("cloudasset.assets.listIamPolicy",
                "storage.buckets.getIamPolicy");
    }

    @Test
    void remediatorsAreUniqueDescribedAndTargetDescribedTypes() {
        List<Remediator> rs = loaded().remediators();
        assertThat(rs).extracting(Remediator::actionId).doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith(idType(id) + "/"));
        List<String> types = loaded().descriptors().stream().map(ResourceDescriptor::type).toList();
        assertThat(rs).allSatisfy(r -> {
            assertThat(types).contains(r.appliesTo());
            assertThat(r.actionId()).startsWith(r.appliesTo() + "/");
            assertThat(r.permissions()).isNotEmpty().allMatch(p -> p.matches(GCP_PERMISSION));
            assertThat(r.description()).isNotBlank();
        });
    }

    private static String idType(String actionId) {
        return actionId.substring(0, actionId.indexOf('/'));
    }

    @Test
    void baselineMapperOnlyClaimsGoogleTypes() {
        assertThat(loaded().baselineMapper().terraformTypes()).allMatch(t -> t.startsWith("google_"))
                .contains("google_storage_bucket", "google_storage_bucket_iam_member",
                        "google_storage_bucket_iam_binding", "google_storage_bucket_iam_policy");
        assertThat(loaded().eventParsers()).isNotEmpty();
    }

    @Test
    void sessionTargetsAreTheConfiguredProjects() {
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of("cw-demo-prod", "cw-demo-dev"), List.of(), Map.of());
        try (var session = loaded().open(config)) {
            assertThat(session.cloud()).isEqualTo(Cloud.GCP);
            assertThat(session.targets()).extracting(ScanTarget::account).containsExactly("cw-demo-prod",
                    "cw-demo-dev");
        }
    }

    @Test
    void sessionWithoutProjectsSaysWhatToConfigure() {
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of(), List.of(), Map.of());
        try (var session = loaded().open(config)) {
            assertThatThrownBy(session::targets).isInstanceOf(ProviderException.class).hasMessageContaining("accounts");
        }
    }

    @Test
    void badSettingsNameTheSettingAndWhatWasExpected() {
        ProviderConfig unreadable = new ProviderConfig(Cloud.GCP, Optional.empty(), List.of("p"), List.of(),
                Map.of("credentialsFile", "/nonexistent/sa.json"));
        assertThatThrownBy(() -> loaded().open(unreadable)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.credentialsFile");
        ProviderConfig badRetry = new ProviderConfig(Cloud.GCP, Optional.of(URI.create("http://127.0.0.1:9")),
                List.of("p"), List.of(), Map.of("maxAttempts", "many"));
        assertThatThrownBy(() -> loaded().open(badRetry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.maxAttempts").hasMessageContaining("integer");
    }
}
