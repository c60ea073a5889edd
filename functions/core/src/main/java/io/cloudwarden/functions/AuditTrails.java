package io.cloudwarden.functions;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.Ed25519KeyFile;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.StateStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Opens the audit trail as configured (docs/AUDIT.md):
 * <ul>
 *   <li>{@code cloudwarden.audit.key}: who signs closed segments' digests: a local Ed25519 PEM file (a path
 *   or {@code file:} URI), an AWS KMS key ARN, a Key Vault key URL with its version, or a Cloud KMS key version
 *   name. Unset: digests are written unsigned (still chained; verify says so).</li>
 *   <li>{@code cloudwarden.audit.digests}: where digests go (a directory or an {@code s3://}, {@code azblob://},
 *   {@code gs://} location: the write-once bucket of infra/); default: the state store.</li>
 *   <li>{@code cloudwarden.audit.segment.records}: records per segment for a new trail (default 64).</li>
 *   <li>{@code cloudwarden.audit.seal}: whether this instance writes the digests of the segments it closes
 *   (default true; false where the identity may not sign, e.g. the scanner).</li>
 * </ul>
 * Only the audit writer's role may sign (infra/*&#47;policies); the scanner has no signing permission.
 */
public final class AuditTrails {
    public static final String SIGNING_KEY = "cloudwarden.audit.key";
    public static final String DIGESTS = "cloudwarden.audit.digests";
    public static final String SEGMENT_RECORDS = "cloudwarden.audit.segment.records";
    /** {@code false} on instances that may not sign (the scanner): they append and leave digests to the writer. */
    public static final String SEALS = "cloudwarden.audit.seal";

    private AuditTrails() {
    }

    public static AuditChain open(CoreConfig config, ProviderRegistry registry, StateStore store, Clock clock) {
        AuditChain.Settings s = AuditChain.Settings.DEFAULT;
        Optional<String> records = config.get(SEGMENT_RECORDS);
        if (records.isPresent()) {
            try {
                s = s.withSegmentRecords(Integer.parseInt(records.get()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SEGMENT_RECORDS, "a whole number of records >= 1", records.get());
            }
        }
        Optional<String> seal = config.get(SEALS);
        if (seal.isPresent()) {
            if (!seal.get().equalsIgnoreCase("true") && !seal.get().equalsIgnoreCase("false")) {
                throw new ConfigException(SEALS, "true or false", seal.get());
            }
            s = s.withSeals(Boolean.parseBoolean(seal.get()));
        }
        Optional<String> digests = config.get(DIGESTS);
        if (digests.isPresent()) {
            s = s.withDigestStore(StateStores.open(digests.get(), registry, config));
        }
        Optional<String> key = config.get(SIGNING_KEY);
        if (key.isPresent()) {
            s = s.withSigner(new LazySigner(key.get(), () -> signer(key.get(), registry, config)));
        }
        return new AuditChain(store, clock, s);
    }

    /** The signer of {@code keyRef}: a local key file, else the provider whose key service it names. */
    public static AuditSigner signer(String keyRef, ProviderRegistry registry, CoreConfig config) {
        Optional<Path> file = localFile(keyRef);
        if (file.isPresent()) {
            return Ed25519KeyFile.load(file.get());
        }
        for (CloudProvider p : registry.providers()) {
            Optional<AuditSigner> s = p.auditSigner(keyRef, config.provider(p.cloud()));
            if (s.isPresent()) {
                return s.get();
            }
        }
        throw unknown(keyRef);
    }

    /** The key {@code audit verify} trusts, with its public half read from the file or the key service. */
    public static TrustedKey trustedKey(String keyRef, ProviderRegistry registry, CoreConfig config) {
        Optional<Path> file = localFile(keyRef);
        if (file.isPresent()) {
            return Ed25519KeyFile.trusted(file.get());
        }
        for (CloudProvider p : registry.providers()) {
            Optional<TrustedKey> k = p.auditKey(keyRef, config.provider(p.cloud()));
            if (k.isPresent()) {
                return k.get();
            }
        }
        throw unknown(keyRef);
    }

    private static ConfigException unknown(String keyRef) {
        return new ConfigException(SIGNING_KEY, "an Ed25519 PEM file, an AWS KMS key ARN (arn:aws:kms:...), a Key"
                + " Vault key URL (https://<vault>.vault.azure.net/keys/<name>/<version>) or a Cloud KMS key version"
                + " (projects/.../cryptoKeyVersions/<n>) of a registered provider", keyRef);
    }

    private static Optional<Path> localFile(String ref) {
        if (ref.startsWith("file:")) {
            return Optional.of(Path.of(URI.create(ref)));
        }
        if (ref.startsWith("arn:") || ref.startsWith("https://") || ref.startsWith("projects/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(ref));
    }

    /** Resolves the signer at the first digest, so opening the runtime costs no key-service call. */
    private static final class LazySigner implements AuditSigner {
        private final String ref;
        private final java.util.function.Supplier<AuditSigner> open;
        private volatile AuditSigner signer;

        LazySigner(String ref, java.util.function.Supplier<AuditSigner> open) {
            this.ref = ref;
            this.open = open;
        }

        private AuditSigner get() {
            AuditSigner s = signer;
            if (s == null) {
                synchronized (this) {
                    if (signer == null) {
                        signer = open.get();
                    }
                    s = signer;
                }
            }
            return s;
        }

        @Override
        public String keyId() {
            return get().keyId();
        }

        @Override
        public String algorithm() {
            return get().algorithm();
        }

        @Override
        public byte[] sign(byte[] message) {
            return get().sign(message);
        }

        @Override
        public String toString() {
            return "signer " + ref;
        }
    }
}
