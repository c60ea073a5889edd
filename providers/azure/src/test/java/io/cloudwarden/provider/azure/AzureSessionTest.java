package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureSessionTest {
    private static ProviderConfig config(Map<String, String> settings) {
        return new ProviderConfig(Cloud.AZURE, Optional.of(URI.create("https://localhost:1")),
                List.of(RecordedArm.SUB), List.of(), settings);
    }

    @Test
    void badRetrySettingNamesTheSettingAndWhatWasExpected() {
        assertThatThrownBy(() -> new AzureSession(config(Map.of("maxRetries", "many"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.maxRetries: expected a non-negative integer but was 'many'");
    }

    @Test
    void partialClientSecretCredentialsAreRejectedWithoutEchoingTheSecret() {
        Map<String, String> settings = new HashMap<>();
        settings.put("clientId", "8a0f1e2d-3c4b-4a59-8e7f-6a5b4c3d2e1f");
        settings.put("clientSecret", "s3cr3t-value");
        assertThatThrownBy(() -> new AzureSession(config(settings)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.tenantId/clientId/clientSecret")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void configuredSubscriptionsAreTheTargetsWithoutAnyCall() {
        try (AzureSession s = new AzureSession(config(Map.of()))) {
            assertThat(s.targets()).extracting(t -> t.account()).containsExactly(RecordedArm.SUB);
        }
    }

    @Test
    void aListThatRepeatsItsNextLinkFailsInsteadOfLoopingForever() {
        try (RecordedArm arm = new RecordedArm()) {
            String self = "https://management.azure.com" + RecordedArm.VAULT + "/keys?api-version=2023-07-01";
            arm.server.stubFor(RecordedArm.armGet(RecordedArm.VAULT + "/keys").willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"value\": [], \"nextLink\": \"" + self + "\"}")));
            try (AzureSession s = new AzureSession(arm.config(List.of(RecordedArm.SUB)))) {
                assertThatThrownBy(() -> s.arm().listAll(RecordedArm.VAULT + "/keys", "2023-07-01",
                        "Microsoft.KeyVault/vaults/keys/read"))
                        .isInstanceOfSatisfying(ProviderException.class,
                                e -> assertThat(e.nativeCode()).isEqualTo("MalformedResponse"));
            }
        }
    }
}
