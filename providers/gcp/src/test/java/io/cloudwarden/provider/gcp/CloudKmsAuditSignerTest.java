package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import org.junit.jupiter.api.Test;

/** Audit digests signed by Cloud KMS {@code asymmetricSign}, verified with {@code getPublicKey}, on recorded responses. */
class CloudKmsAuditSignerTest extends RecordedApi {
    static final String VERSION = "projects/cw-demo-prod/locations/global/keyRings/cloudwarden/cryptoKeys/"
            + "audit-signing/cryptoKeyVersions/1";

    private AuditSigner signer() {
        return new GcpProvider().auditSigner(VERSION, config()).orElseThrow();
    }

    @Test
    void signsTheDigestsSha256WithItsCrc32cAndTheSignatureVerifiesUnderTheKeyVersionsPublicKey() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/v1/" + VERSION + ":asymmetricSign"))
                .willReturn(okJson(recorded("kms/asymmetric-sign-ec-p256.json"))));
        wm.stubFor(get(urlPathEqualTo("/v1/" + VERSION + "/publicKey"))
                .willReturn(okJson(recorded("kms/get-public-key-ec-p256.json"))));

        AuditSigner signer = signer();
        byte[] signature = signer.sign(SignedDigestFixture.message());
        TrustedKey key = new GcpProvider().auditKey(VERSION, config()).orElseThrow();

        String digest = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(SignedDigestFixture.message()));
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/" + VERSION + ":asymmetricSign"))
                .withRequestBody(equalToJson("{\"digest\":{\"sha256\":\"" + digest + "\"},"
                        + "\"digestCrc32c\":\"199291318\"}", true, true)));
        assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithms.ECDSA_SHA_256);
        assertThat(key.keyId()).isEqualTo(VERSION);
        assertThat(SignatureAlgorithms.verify(signer.algorithm(), key.publicKey(), SignedDigestFixture.message(),
                signature)).isTrue();
        byte[] edited = SignedDigestFixture.MESSAGE.replace("9f2c", "0f2c").getBytes();
        assertThat(SignatureAlgorithms.verify(signer.algorithm(), key.publicKey(), edited, signature)).isFalse();
    }

    @Test
    void aResponseWhoseSignatureDoesNotMatchItsCrc32cIsRefused() {
        wm.stubFor(post(urlPathEqualTo("/v1/" + VERSION + ":asymmetricSign")).willReturn(okJson(
                recorded("kms/asymmetric-sign-ec-p256.json").replace("1143925113", "1143925114"))));

        assertThatThrownBy(() -> signer().sign(SignedDigestFixture.message()))
                .isInstanceOf(AuditSigningException.class).hasMessageContaining("integrity");
    }

    @Test
    void aCallerWithoutUseToSignGetsAnAuditSigningErrorNamingTheKey() {
        wm.stubFor(post(urlPathEqualTo("/v1/" + VERSION + ":asymmetricSign")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(recorded("kms/permission-denied-sign.json"))));

        assertThatThrownBy(() -> signer().sign(SignedDigestFixture.message()))
                .isInstanceOf(AuditSigningException.class).hasMessageContaining(VERSION);
    }

    @Test
    void onlyKeyVersionNamesAreGcpSigningKeys() {
        assertThat(new GcpProvider().auditSigner("projects/p/locations/global/keyRings/r/cryptoKeys/k", config()))
                .as("a key without its version").isEmpty();
    }
}
