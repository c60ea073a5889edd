package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Emulator tier: needs Azurite's blob service at {@code CLOUDWARDEN_AZURITE_BLOB_ENDPOINT}
 * (e.g. {@code http://127.0.0.1:10000/devstoreaccount1}); skipped without it, except on CI where it must run.
 */
class BlobStateStoreAzuriteTest {
    /** Azurite's published development account key (not a secret). */
    static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StateStore store;

    @BeforeEach
    void open() {
        String endpoint = System.getenv("CLOUDWARDEN_AZURITE_BLOB_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but CLOUDWARDEN_AZURITE_BLOB_ENDPOINT is not set: the Azurite tier must run on CI");
            }
            Assumptions.abort("Azurite tier skipped: set CLOUDWARDEN_AZURITE_BLOB_ENDPOINT "
                    + "(e.g. http://127.0.0.1:10000/devstoreaccount1) to run it");
        }
        String container = "cw-state-" + UUID.randomUUID().toString().substring(0, 8);
        new BlobServiceClientBuilder().endpoint(endpoint)
                .credential(new StorageSharedKeyCredential("devstoreaccount1", DEV_KEY)).buildClient()
                .createBlobContainer(container);
        ProviderConfig config = new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(),
                Map.of("blobEndpoint", endpoint, "storageAccountKey", DEV_KEY));
        store = new AzureProvider().stateStore(URI.create("azblob://devstoreaccount1/" + container + "/team-a"),
                config).orElseThrow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsObjectsUnderThePrefix() {
        assertThat(store.get("snapshots/latest.json")).isEmpty();
        String v1 = store.put("snapshots/latest.json", bytes("{\"n\":1}"), Precondition.IF_ABSENT);
        store.put("audit.jsonl", bytes("line\n"), Precondition.NONE);

        StoredObject got = store.get("snapshots/latest.json").orElseThrow();
        assertThat(new String(got.data(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(got.version()).isEqualTo(v1);
        assertThat(store.list("")).containsExactly("audit.jsonl", "snapshots/latest.json");
        assertThat(store.list("snapshots/")).containsExactly("snapshots/latest.json");
        assertThat(store.describe()).startsWith("azblob://devstoreaccount1/cw-state-").endsWith("/team-a");
    }

    @Test
    void conditionalWritesDetectConflicts() {
        String v1 = store.put("plans/p1.json", bytes("a"), Precondition.IF_ABSENT);

        assertThatThrownBy(() -> store.put("plans/p1.json", bytes("b"), Precondition.IF_ABSENT))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("already exists");

        String v2 = store.put("plans/p1.json", bytes("b"), Precondition.ifMatch(v1));
        assertThat(v2).isNotEqualTo(v1);
        assertThatThrownBy(() -> store.put("plans/p1.json", bytes("c"), Precondition.ifMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("changed since");
        assertThat(new String(store.get("plans/p1.json").orElseThrow().data(), StandardCharsets.UTF_8))
                .isEqualTo("b");
    }
}
