package io.cloudwarden.provider.gcp.audit;

import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.Digest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.AuditSigningException;
import io.cloudwarden.engine.audit.SignatureAlgorithms;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Signs audit digests with a Cloud KMS key version of algorithm {@code EC_SIGN_P256_SHA256}: {@code asymmetricSign}
 * over the SHA-256 of the digest's signed bytes (Cloud KMS signs digests), with the integrity checks Google documents:
 * the request carries the digest's CRC32C and the response must say it was verified, name the key version, and carry
 * the CRC32C of the signature it returns. The signature is DER-encoded. Verification reads {@code getPublicKey} (PEM,
 * with its CRC32C) and checks locally. The key is named by its key version
 * ({@code projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/<n>}).
 */
public final class CloudKmsAuditSigner implements AuditSigner {
    private static final Pattern VERSION = Pattern.compile(
            "^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/\\d+$");

    private final Supplier<KeyManagementServiceClient> kms;
    private final String name;

    public CloudKmsAuditSigner(Supplier<KeyManagementServiceClient> kms, String name) {
        this.kms = kms;
        this.name = name;
    }

    public static boolean matches(String ref) {
        return VERSION.matcher(ref).matches();
    }

    @Override
    public String keyId() {
        return name;
    }

    @Override
    public String algorithm() {
        return SignatureAlgorithms.ECDSA_SHA_256;
    }

    @Override
    public byte[] sign(byte[] message) {
        byte[] digest = sha256(message);
        AsymmetricSignResponse r;
        try {
            r = kms.get().asymmetricSign(AsymmetricSignRequest.newBuilder().setName(name)
                    .setDigest(Digest.newBuilder().setSha256(ByteString.copyFrom(digest)))
                    .setDigestCrc32C(Int64Value.of(crc32c(digest))).build());
        } catch (RuntimeException e) {
            throw new AuditSigningException(name + ": Cloud KMS asymmetricSign failed: "
                    + GcpErrors.map("cloudkms.cryptoKeyVersions.useToSign", e).getMessage(), e);
        }
        byte[] signature = r.getSignature().toByteArray();
        if (!r.getVerifiedDigestCrc32C() || !name.equals(r.getName())
                || r.getSignatureCrc32C().getValue() != crc32c(signature)) {
            throw new AuditSigningException(name + ": Cloud KMS asymmetricSign response failed its integrity checks"
                    + " (verifiedDigestCrc32c, name, signatureCrc32c): the request or response was corrupted in"
                    + " transit");
        }
        return signature;
    }

    /** The trusted key: {@code getPublicKey}, which must be an EC_SIGN_P256_SHA256 key with a matching PEM CRC32C. */
    public TrustedKey trustedKey() {
        com.google.cloud.kms.v1.PublicKey pk;
        try {
            pk = kms.get().getPublicKey(name);
        } catch (RuntimeException e) {
            throw new AuditSigningException(name + ": Cloud KMS getPublicKey failed: "
                    + GcpErrors.map("cloudkms.cryptoKeyVersions.viewPublicKey", e).getMessage(), e);
        }
        if (pk.getAlgorithm() != CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256) {
            throw new AuditSigningException(name + ": expected algorithm EC_SIGN_P256_SHA256 but the key version is "
                    + pk.getAlgorithm());
        }
        byte[] pem = pk.getPem().getBytes(StandardCharsets.UTF_8);
        if (pk.hasPemCrc32C() && pk.getPemCrc32C().getValue() != crc32c(pem)) {
            throw new AuditSigningException(name + ": the public key's pemCrc32c does not match its PEM");
        }
        String body = pk.getPem().replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
            return new TrustedKey(name, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuditSigningException(name + ": the PEM Cloud KMS returned is not an EC public key ("
                    + e.getMessage() + ")", e);
        }
    }

    static long crc32c(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
