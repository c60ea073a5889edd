package io.cloudwarden.engine.audit;

import java.security.PublicKey;
import java.util.Objects;

/**
 * The key {@code audit verify} trusts: digests must name {@code keyId} and verify under {@code publicKey}. For a cloud
 * key the public key comes from the key service (KMS {@code GetPublicKey}, Key Vault get key, Cloud KMS
 * {@code getPublicKey}); locally from the key file.
 */
public record TrustedKey(String keyId, PublicKey publicKey) {
    public TrustedKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
