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

    @Test
    void streamedWritesKeepTheirConditionsAndStreamedReadsTheirVersion() throws Exception {
        byte[] big = new byte[9 * 1024 * 1024 + 17]; // more than the SDK's 4 MiB ranges of a streamed read
        new java.util.Random(18).nextBytes(big);
        String v1 = store.putStream("findings/history.json", out -> {
            for (int off = 0; off < big.length; off += 65_536) {
                out.write(big, off, Math.min(65_536, big.length - off));
            }
        }, Precondition.IF_ABSENT);
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> out.write(bytes("x")),
                Precondition.IF_ABSENT)).isInstanceOf(PreconditionFailedException.class);

        try (var s = store.open("findings/history.json").orElseThrow()) {
            assertThat(s.version()).isEqualTo(v1);
            byte[] head = s.data().readNBytes(1000);
            String v2 = store.putStream("findings/history.json", out -> out.write(bytes("{\"n\":2}")),
                    Precondition.ifMatch(s.version()));
            assertThat(v2).isNotEqualTo(v1);
            // the rest of the first version is not mixed with the second: the read pinned to the ETag fails instead
            assertThat(head).isEqualTo(java.util.Arrays.copyOf(big, 1000));
            assertThatThrownBy(() -> s.data().readAllBytes()).isInstanceOf(java.io.IOException.class);
        }
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> out.write(bytes("{\"n\":3}")),
                Precondition.ifMatch(v1))).isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.putStream("findings/history.json", out -> {
            out.write(bytes("partial"));
            throw new IllegalStateException("the writer failed");
        }, Precondition.NONE)).hasMessage("the writer failed");
        try (var s = store.open("findings/history.json").orElseThrow()) {
            assertThat(new String(s.data().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        }
        assertThat(store.open("missing.json")).isEmpty();
    }
}
