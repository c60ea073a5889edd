package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.AuditSigningException;
import io.cloudwarden.engine.audit.SignatureAlgorithms;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.testkit.SignedDigestFixture;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Audit digests signed by Key Vault {@code sign} (ES256) and verified with the key's JWK, on recorded responses. */
class KeyVaultAuditSignerTest {
    static final String KID = "https://kv-cw-prod.vault.azure.net/keys/audit-signing/78deebed173b48e48f55abf87ed4cf71";
    static final String PATH = "/keyvault/kv-cw-prod/keys/audit-signing/78deebed173b48e48f55abf87ed4cf71";

    private final RecordedArm arm = new RecordedArm();

    @AfterEach
    void stop() {
        arm.close();
    }

    private AuditSigner signer() {
        return new AzureProvider().auditSigner(KID, arm.config(List.of())).orElseThrow();
    }

    @Test
    void signsTheDigestsSha256WithEs256AndTheSignatureVerifiesUnderTheKeysJwk() throws Exception {
        arm.json(post(urlPathEqualTo(PATH + "/sign")).withQueryParam("api-version", equalTo("7.4")),
                "keyvault-sign-es256.json");
        arm.json(get(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("7.4")), "keyvault-get-key-ec.json");

        AuditSigner signer = signer();
        byte[] signature = signer.sign(SignedDigestFixture.message());
        TrustedKey key = new AzureProvider().auditKey(KID, arm.config(List.of())).orElseThrow();

        String digest = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(SignedDigestFixture.message()));
        arm.server.verify(postRequestedFor(urlPathEqualTo(PATH + "/sign"))
                .withRequestBody(equalToJson("{\"alg\":\"ES256\",\"value\":\"" + digest + "\"}")));
        assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithms.ES256);
        assertThat(signature).hasSize(64);
        assertThat(key.keyId()).isEqualTo(KID);
        assertThat(SignatureAlgorithms.verify(SignatureAlgorithms.ES256, key.publicKey(),
                SignedDigestFixture.message(), signature)).isTrue();
        byte[] edited = SignedDigestFixture.MESSAGE.replace("\"lastSeq\":64", "\"lastSeq\":62").getBytes();
        assertThat(SignatureAlgorithms.verify(SignatureAlgorithms.ES256, key.publicKey(), edited, signature)).isFalse();
    }

    @Test
    void aCallerWithoutTheSignPermissionGetsAnAuditSigningErrorNamingTheKey() {
        arm.server.stubFor(post(urlPathEqualTo(PATH + "/sign")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(RecordedArm.fixture("keyvault-forbidden.json"))));

        assertThatThrownBy(() -> signer().sign(SignedDigestFixture.message()))
                .isInstanceOf(AuditSigningException.class).hasMessageContaining(KID).hasMessageContaining("sign");
    }

    @Test
    void onlyVersionedKeyVaultKeyUrlsAreAzureSigningKeys() {
        assertThat(new AzureProvider().auditSigner("https://kv-cw-prod.vault.azure.net/keys/audit-signing",
                arm.config(List.of()))).as("no version: a rotation would change the trusted key silently").isEmpty();
        assertThat(new AzureProvider().auditSigner("arn:aws:kms:us-east-1:111122223333:key/x",
                arm.config(List.of()))).isEmpty();
    }
}
