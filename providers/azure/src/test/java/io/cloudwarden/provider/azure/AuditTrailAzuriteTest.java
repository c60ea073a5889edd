package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.audit.AuditVerification;
import io.cloudwarden.engine.audit.Ed25519KeyFile;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emulator tier: the segmented audit trail on Blob storage (Azurite honours If-Match / If-None-Match), eight writer
 * threads, each with its own store client, as eight function instances would be.
 */
class AuditTrailAzuriteTest {
    private String endpoint;
    private String container;
    private ProviderConfig config;

    @TempDir
    Path keys;

    @BeforeEach
    void open() {
        endpoint = System.getenv("CLOUDWARDEN_AZURITE_BLOB_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but CLOUDWARDEN_AZURITE_BLOB_ENDPOINT is not set: the Azurite tier must run on CI");
            }
            Assumptions.abort("Azurite tier skipped: set CLOUDWARDEN_AZURITE_BLOB_ENDPOINT "
                    + "(e.g. http://127.0.0.1:10000/devstoreaccount1) to run it");
        }
        container = "cw-audit-" + UUID.randomUUID().toString().substring(0, 8);
        new BlobServiceClientBuilder().endpoint(endpoint)
                .credential(new StorageSharedKeyCredential("devstoreaccount1", BlobStateStoreAzuriteTest.DEV_KEY))
                .buildClient().createBlobContainer(container);
        config = new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(),
                Map.of("blobEndpoint", endpoint, "storageAccountKey", BlobStateStoreAzuriteTest.DEV_KEY));
    }

    private StateStore store() {
        return new AzureProvider().stateStore(URI.create("azblob://devstoreaccount1/" + container + "/state"), config)
                .orElseThrow();
    }

    @Test
    void eightWriterThreadsNeitherLoseRecordsNorForkTheChainAndEveryClosedSegmentIsSigned() throws Exception {
        Ed25519KeyFile key = Ed25519KeyFile.generate(keys.resolve("audit.pem"));
        AuditChain.Settings settings = AuditChain.Settings.DEFAULT.withSegmentRecords(8).withSigner(key);
        int writers = 8;
        int perWriter = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String id = "w" + w;
            futures.add(pool.submit(() -> {
                AuditChain chain = new AuditChain(store(), Clock.systemUTC(), settings);
                for (int i = 0; i < perWriter; i++) {
                    chain.append(new Actor("service", id, id, "test"), "test.append", id, "ok", null);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();

        AuditChain chain = new AuditChain(store(), Clock.systemUTC(), settings);
        List<AuditRecord> all = chain.read();
        assertThat(all).hasSize(writers * perWriter);
        assertThat(all).extracting(AuditRecord::seq).doesNotHaveDuplicates();
        AuditVerification v = chain.verify(AuditChain.Scope.ALL, Optional.of(key.trustedKey()));
        assertThat(v.intact()).as(v.problems().toString()).isTrue();
        assertThat(v.segments()).isEqualTo(writers * perWriter / 8);
        assertThat(v.signedDigests()).isEqualTo(writers * perWriter / 8 - 1);
    }
}
