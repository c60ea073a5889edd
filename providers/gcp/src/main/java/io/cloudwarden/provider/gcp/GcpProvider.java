package io.cloudwarden.provider.gcp;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.gcp.baseline.GcpBaselineMapper;
import io.cloudwarden.provider.gcp.compute.instance.ComputeInstance;
import io.cloudwarden.provider.gcp.events.AuditLogEventParser;
import io.cloudwarden.provider.gcp.identity.key.IdentityKey;
import io.cloudwarden.provider.gcp.identity.user.IdentityUser;
import io.cloudwarden.provider.gcp.kms.key.KmsKey;
import io.cloudwarden.provider.gcp.network.firewall.NetworkFirewall;
import io.cloudwarden.provider.gcp.session.GcpSession;
import io.cloudwarden.provider.gcp.state.GcsStateStore;
import io.cloudwarden.provider.gcp.storage.bucket.StorageBucket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Google Cloud: every type is listed per project through Cloud Asset Inventory ({@link Scope#ACCOUNT}: one shard
 * per project covering all locations) and fetched singly through the owning service where a REST client exists.
 */
public final class GcpProvider implements CloudProvider {
    /**
     * The types this provider covers, each declared once in its package. Adding a type = one package (a
     * {@link GcpType} with its collector, normalizer, remediators) + one entry here.
     */
    public static final List<GcpType> TYPES = List.of(new StorageBucket(), new NetworkFirewall(),
            new ComputeInstance(), new io.cloudwarden.provider.gcp.compute.group.ComputeGroup(), new IdentityUser(),
            new IdentityKey(), new KmsKey());

    private static final List<ResourceDescriptor> DESCRIPTORS = TYPES.stream().map(GcpType::descriptor).toList();
    private static final List<Remediator> REMEDIATORS = TYPES.stream().flatMap(t -> t.remediators().stream())
            .toList();

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return DESCRIPTORS;
    }

    @Override
    public List<Remediator> remediators() {
        return REMEDIATORS;
    }

    @Override
    public List<EventParser> eventParsers() {
        return List.of(new AuditLogEventParser());
    }

    @Override
    public BaselineMapper baselineMapper() {
        return new GcpBaselineMapper();
    }

    @Override
    public Map<String, String> unsupportedTypes() {
        return Map.of();
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        return new GcpSession(config);
    }

    /** {@code gs://bucket/prefix} → a {@link GcsStateStore} using this configuration's Storage client. */
    @Override
    public Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        if (!"gs".equalsIgnoreCase(location.getScheme())) {
            return Optional.empty();
        }
        GcpSession session = new GcpSession(config);
        return Optional.of(new GcsStateStore(session.storage(), location.getHost(),
                location.getPath() == null ? "" : location.getPath()));
    }

    /**
     * A Cloud KMS key version name: {@code asymmetricSign} with the writer's credentials. The session (and its
     * clients) lives as long as the signer, which lives as long as the process.
     */
    @Override
    public Optional<io.cloudwarden.engine.audit.AuditSigner> auditSigner(String keyRef, ProviderConfig config) {
        if (!io.cloudwarden.provider.gcp.audit.CloudKmsAuditSigner.matches(keyRef)) {
            return Optional.empty();
        }
        GcpSession session = new GcpSession(config);
        return Optional.of(new io.cloudwarden.provider.gcp.audit.CloudKmsAuditSigner(session::kms, keyRef));
    }

    @Override
    public Optional<io.cloudwarden.engine.audit.TrustedKey> auditKey(String keyRef, ProviderConfig config) {
        if (!io.cloudwarden.provider.gcp.audit.CloudKmsAuditSigner.matches(keyRef)) {
            return Optional.empty();
        }
        try (GcpSession session = new GcpSession(config)) {
            return Optional.of(new io.cloudwarden.provider.gcp.audit.CloudKmsAuditSigner(session::kms, keyRef)
                    .trustedKey());
        }
    }

    /** Sign with the audit key, nothing else (verifying needs only the public key: an auditor's read permission). */
    @Override
    public List<String> auditWriterPermissions() {
        return List.of("cloudkms.cryptoKeyVersions.useToSign");
    }
}
