package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlobLocationTest {
    private final AzureProvider provider = new AzureProvider();
    private final ProviderConfig withKey = new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(),
            Map.of("storageAccountKey", BlobStateStoreAzuriteTest.DEV_KEY));

    @Test
    void azblobLocationNamesAccountContainerAndPrefix() {
        var store = provider.stateStore(URI.create("azblob://cwstate/cloudwarden/prod/eu"), withKey).orElseThrow();
        assertThat(store.describe()).isEqualTo("azblob://cwstate/cloudwarden/prod/eu");
    }

    @Test
    void pathStyleUrlTakesTheAccountFromThePath() {
        var store = provider.stateStore(URI.create("http://127.0.0.1:10000/devstoreaccount1/state"), withKey)
                .orElseThrow();
        assertThat(store.describe()).isEqualTo("azblob://devstoreaccount1/state");
    }

    @Test
    void otherSchemesAreNotAzures() {
        assertThat(provider.stateStore(URI.create("s3://bucket/prefix"), withKey)).isEmpty();
        assertThat(provider.stateStore(URI.create("file:/tmp/state"), withKey)).isEmpty();
    }

    @Test
    void locationWithoutContainerIsAClearError() {
        assertThatThrownBy(() -> provider.stateStore(URI.create("azblob://cwstate"), withKey))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a container name");
    }
}
