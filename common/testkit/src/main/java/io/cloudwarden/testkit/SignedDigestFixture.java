package io.cloudwarden.testkit;

import java.nio.charset.StandardCharsets;

/**
 * The message behind the recorded key-service signatures of the providers' audit-signer tests: the canonical JSON of
 * a segment digest without its signature. The recorded Sign / sign / asymmetricSign responses carry signatures of
 * these bytes (their SHA-256 for Key Vault and Cloud KMS, which sign digests) by one P-256 test key, whose public half
 * is in the recorded GetPublicKey / get key / getPublicKey responses. The private key was thrown away.
 */
public final class SignedDigestFixture {
    public static final String MESSAGE = "{\"firstPrevHash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
            + "\"firstSeq\":1,\"firstTime\":\"2026-11-23T10:00:00Z\",\"format\":\"cloudwarden-audit-digest/1\","
            + "\"lastHash\":\"9f2c1d0e6b7a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d\",\"lastSeq\":64,"
            + "\"lastTime\":\"2026-11-23T10:03:00Z\","
            + "\"previousDigestHash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
            + "\"records\":64,\"segment\":1}";

    private SignedDigestFixture() {
    }

    public static byte[] message() {
        return MESSAGE.getBytes(StandardCharsets.UTF_8);
    }
}
