package io.cloudwarden.engine.audit;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;

/**
 * The signature algorithms a digest may name, and their JDK verification. The names say the encoding of the
 * signature bytes, because the key services differ: AWS KMS and Cloud KMS return ECDSA signatures DER-encoded, Key
 * Vault returns the raw {@code r||s} of JWS (RFC 7518 §3.4).
 */
public final class SignatureAlgorithms {
    /** Ed25519 (RFC 8032) over the message; the local key file. */
    public static final String ED25519 = "ED25519";
    /** ECDSA P-256 with SHA-256, DER-encoded signature (AWS KMS {@code ECDSA_SHA_256}, Cloud KMS EC_SIGN_P256_SHA256). */
    public static final String ECDSA_SHA_256 = "ECDSA_SHA_256";
    /** ECDSA P-256 with SHA-256, raw r||s signature (Key Vault {@code ES256}). */
    public static final String ES256 = "ES256";

    private SignatureAlgorithms() {
    }

    /** Whether {@code signature} over {@code message} verifies under {@code key} with {@code algorithm}. */
    public static boolean verify(String algorithm, PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(jdkName(algorithm));
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            return false; // malformed signature bytes or a key of another type: it does not verify
        } catch (GeneralSecurityException e) {
            throw new AuditSigningException("cannot verify " + algorithm + " signatures: " + e.getMessage(), e);
        }
    }

    static String jdkName(String algorithm) {
        return switch (algorithm.toUpperCase(Locale.ROOT)) {
            case ED25519 -> "Ed25519";
            case ECDSA_SHA_256 -> "SHA256withECDSA";
            case ES256 -> "SHA256withECDSAinP1363Format";
            default -> throw new AuditSigningException("unknown signature algorithm " + algorithm
                    + " (expected " + ED25519 + ", " + ECDSA_SHA_256 + " or " + ES256 + ")");
        };
    }
}
