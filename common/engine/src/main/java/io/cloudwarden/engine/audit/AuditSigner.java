package io.cloudwarden.engine.audit;

/**
 * Signs the digests of closed audit segments: a local Ed25519 key file ({@link Ed25519KeyFile}) or a cloud key
 * service (AWS KMS {@code Sign}, Azure Key Vault {@code sign}, Cloud KMS {@code asymmetricSign}, in the providers).
 * The writer of the trail holds the signer; the scanner never does.
 */
public interface AuditSigner {
    /** The key that signs, as the digest records it and {@code audit verify} trusts it (an ARN, a Key Vault kid...). */
    String keyId();

    /** One of {@link SignatureAlgorithms}' names ({@code ED25519}, {@code ECDSA_SHA_256}...). */
    String algorithm();

    /**
     * The signature over {@code message} (the digest's canonical JSON without its signature).
     *
     * @throws AuditSigningException when the key service refuses or cannot be reached
     */
    byte[] sign(byte[] message);
}
