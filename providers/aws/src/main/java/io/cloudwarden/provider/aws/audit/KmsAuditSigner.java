package io.cloudwarden.provider.aws.audit;

import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.AuditSigningException;
import io.cloudwarden.engine.audit.SignatureAlgorithms;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.provider.aws.session.AwsCalls;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs audit digests with an AWS KMS asymmetric key ({@code ECC_NIST_P256}, usage {@code SIGN_VERIFY}): KMS
 * {@code Sign} with {@code MessageType RAW} (a digest is far under KMS's 4096-byte message limit) and
 * {@code ECDSA_SHA_256}; KMS returns the signature DER-encoded. Verification reads the public key with
 * {@code GetPublicKey} (DER SubjectPublicKeyInfo) and checks locally, so a verifier needs {@code kms:GetPublicKey}
 * only. The key is named by its key ARN ({@code arn:aws:kms:<region>:<account>:key/<id>}); the region comes from it.
 */
public final class KmsAuditSigner implements AuditSigner {
    private static final Pattern KEY_ARN = Pattern.compile("^arn:aws[a-z-]*:kms:([a-z0-9-]+):\\d{12}:key/[A-Za-z0-9-]+$");

    private final KmsClient kms;
    private final String keyArn;

    public KmsAuditSigner(KmsClient kms, String keyArn) {
        this.kms = kms;
        this.keyArn = keyArn;
    }

    /** The region of a KMS key ARN; empty when {@code ref} is not one (an alias or another cloud's key). */
    public static Optional<String> region(String ref) {
        Matcher m = KEY_ARN.matcher(ref);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String keyId() {
        return keyArn;
    }

    @Override
    public String algorithm() {
        return SignatureAlgorithms.ECDSA_SHA_256;
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            return AwsCalls.call("kms:Sign", () -> kms.sign(b -> b.keyId(keyArn)
                    .message(SdkBytes.fromByteArray(message)).messageType(MessageType.RAW)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))).signature().asByteArray();
        } catch (ProviderException e) {
            throw new AuditSigningException(keyArn + ": KMS Sign failed: " + e.getMessage(), e);
        }
    }

    /** The trusted key: KMS {@code GetPublicKey}, which must be a signing key offering ECDSA_SHA_256. */
    public TrustedKey trustedKey() {
        GetPublicKeyResponse r;
        try {
            r = AwsCalls.call("kms:GetPublicKey", () -> kms.getPublicKey(b -> b.keyId(keyArn)));
        } catch (ProviderException e) {
            throw new AuditSigningException(keyArn + ": KMS GetPublicKey failed: " + e.getMessage(), e);
        }
        if (!r.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
            throw new AuditSigningException(keyArn + ": expected a SIGN_VERIFY key offering ECDSA_SHA_256 (an"
                    + " ECC_NIST_P256 key) but its signing algorithms are " + r.signingAlgorithmsAsStrings());
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(r.publicKey().asByteArray()));
            return new TrustedKey(keyArn, key);
        } catch (GeneralSecurityException e) {
            throw new AuditSigningException(keyArn + ": the public key KMS returned is not an EC key ("
                    + e.getMessage() + ")", e);
        }
    }
}
