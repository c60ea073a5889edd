package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.AuditSigningException;
import io.cloudwarden.engine.audit.SignatureAlgorithms;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.provider.aws.audit.KmsAuditSigner;
import io.cloudwarden.testkit.SignedDigestFixture;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Audit digests signed by KMS {@code Sign} and verified with the key from {@code GetPublicKey}, on recorded responses. */
class KmsAuditSignerTest extends RecordedApi {
    static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/6f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";

    private AuditSigner signer() {
        return new AwsProvider().auditSigner(KEY, config(Map.of())).orElseThrow();
    }

    @Test
    void signsTheRawDigestMessageWithEcdsaSha256AndTheSignatureVerifiesUnderTheKmsPublicKey() {
        wm.stubFor(kms("Sign").willReturn(json("kms/sign-ecdsa.json")));
        wm.stubFor(kms("GetPublicKey").willReturn(json("kms/get-public-key-ecc.json")));

        AuditSigner signer = signer();
        byte[] signature = signer.sign(SignedDigestFixture.message());
        TrustedKey key = new AwsProvider().auditKey(KEY, config(Map.of())).orElseThrow();

        wm.verify(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Sign"))
                .withRequestBody(equalToJson("{\"KeyId\":\"" + KEY + "\",\"Message\":\""
                        + Base64.getEncoder().encodeToString(SignedDigestFixture.message())
                        + "\",\"MessageType\":\"RAW\",\"SigningAlgorithm\":\"ECDSA_SHA_256\"}")));
        assertThat(signer.keyId()).isEqualTo(KEY);
        assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithms.ECDSA_SHA_256);
        assertThat(key.keyId()).isEqualTo(KEY);
        assertThat(SignatureAlgorithms.verify(signer.algorithm(), key.publicKey(), SignedDigestFixture.message(),
                signature)).isTrue();
        byte[] edited = SignedDigestFixture.MESSAGE.replace("\"records\":64", "\"records\":63").getBytes();
        assertThat(SignatureAlgorithms.verify(signer.algorithm(), key.publicKey(), edited, signature))
                .as("a digest with a dropped record no longer verifies").isFalse();
    }

    @Test
    void aDisabledKeyIsAnAuditSigningErrorNamingTheKey() {
        wm.stubFor(kms("Sign").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(fixture("kms/sign-disabled.json"))));

        assertThatThrownBy(() -> signer().sign(SignedDigestFixture.message()))
                .isInstanceOf(AuditSigningException.class).hasMessageContaining(KEY).hasMessageContaining("Sign");
    }

    @Test
    void onlyKmsKeyArnsAreAwsSigningKeys() {
        assertThat(new AwsProvider().auditSigner("alias/audit", config(Map.of()))).isEmpty();
        assertThat(new AwsProvider().auditSigner("projects/p/locations/global/keyRings/r/cryptoKeys/k/"
                + "cryptoKeyVersions/1", config(Map.of()))).isEmpty();
    }
}
