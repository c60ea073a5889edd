package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication modes: unauthenticated with an override, and a service account key whose token URI is local. */
class CredentialsRecordedTest extends RecordedApi {
    static final String ASSETS = "/v1/projects/cw-demo-prod/assets";
    static final String TOKEN = "ya29.c.test-access-token-not-a-secret-elsewhere";

    @TempDir
    Path dir;

    List<NativeItem> listKmsKeys(GcpSession s) {
        List<NativeItem> items = new ArrayList<>();
        CollectorRecordedTest.descriptor(ResourceTypes.KMS_KEY).collector()
                .collect(s, new Shard(Cloud.GCP, "cw-demo-prod", "global", ResourceTypes.KMS_KEY), items::add);
        return items;
    }

    @Test
    void overrideWithoutCredentialsSendsNoAuthorization() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(okJson(recorded("cai/crypto-keys.json"))));

        assertThat(listKmsKeys(session)).hasSize(2);
        wm.verify(getRequestedFor(urlPathEqualTo(ASSETS)).withHeader("Authorization", absent()));
    }

    @Test
    void serviceAccountKeyFileIsExchangedForABearerToken() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson(
                "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson(recorded("cai/crypto-keys.json"))));
        Path keyFile = serviceAccountKey();
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create(wm.baseUrl())),
                List.of("cw-demo-prod"), List.of(), Map.of("credentialsFile", keyFile.toString(), "maxAttempts", "1"));

        try (GcpSession s = (GcpSession) new GcpProvider().open(config)) {
            assertThat(listKmsKeys(s)).hasSize(2);
        }
        assertThat(config.toString()).doesNotContain(keyFile.toString());
    }

    @Test
    void errorsNeverCarryTheAccessToken() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson(
                "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(recorded("cai/permission-denied.json"))));
        ProviderConfig config = new ProviderConfig(Cloud.GCP, Optional.of(URI.create(wm.baseUrl())),
                List.of("cw-demo-prod"), List.of(), Map.of("credentialsFile", serviceAccountKey().toString()));

        try (GcpSession s = (GcpSession) new GcpProvider().open(config)) {
            assertThatThrownBy(() -> listKmsKeys(s)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("PRIVATE KEY");
                assertThat(e.nativeCode()).isEqualTo("PERMISSION_DENIED");
            });
        }
    }

    /** A freshly generated service account key whose token_uri points at the recorded-response server. */
    Path serviceAccountKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(gen.generateKeyPair().getPrivate()
                        .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        var json = ModelJson.mapper().createObjectNode()
                .put("type", "service_account").put("project_id", "cw-demo-prod")
                .put("private_key_id", "4c1f0e9d8b7a69584736251403f2e1d0c9b8a796")
                .put("private_key", pem)
                .put("client_email", "cloudwarden-scan@cw-demo-prod.iam.gserviceaccount.com")
                .put("client_id", "109876543210987654321")
                .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                .put("token_uri", wm.baseUrl() + "/token")
                .put("universe_domain", "googleapis.com");
        Path file = dir.resolve("sa.json");
        Files.writeString(file, ModelJson.mapper().writeValueAsString(json));
        return file;
    }
}
