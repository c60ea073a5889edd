package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Cloudwarden knows about one cloud. Discovered with {@link java.util.ServiceLoader}; one per cloud.
 * Implementations are stateless: SDK clients live in the {@link ProviderSession} that {@link #open} creates.
 */
public interface CloudProvider {
    Cloud cloud();

    List<ResourceDescriptor> descriptors();

    List<Remediator> remediators();

    List<EventParser> eventParsers();

    BaselineMapper baselineMapper();

    /** Normalized types this provider does not support, with the reason (e.g. an SDK not served). */
    Map<String, String> unsupportedTypes();

    /** Opens SDK clients for this configuration. */
    ProviderSession open(ProviderConfig config);

    /**
     * A state store in this cloud's object storage for a location such as {@code s3://bucket/prefix}; empty when
     * the scheme is not this cloud's.
     */
    default Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        return Optional.empty();
    }

    /**
     * A signer of audit digests for a key of this cloud's key service ({@code arn:aws:kms:...}, a Key Vault key URL,
     * a Cloud KMS key version name); empty when {@code keyRef} is not this cloud's.
     */
    default Optional<io.cloudwarden.engine.audit.AuditSigner> auditSigner(String keyRef, ProviderConfig config) {
        return Optional.empty();
    }

    /**
     * What the audit writer's identity needs to sign digests and read the key's public half with this cloud's key
     * service; they become the generated {@code audit-writer} policy (never part of the scanner's).
     */
    default List<String> auditWriterPermissions() {
        return List.of();
    }

    /** The public half of {@code keyRef}, read from the key service, for {@code audit verify}; empty when not ours. */
    default Optional<io.cloudwarden.engine.audit.TrustedKey> auditKey(String keyRef, ProviderConfig config) {
        return Optional.empty();
    }
}
