package io.cloudwarden.provider.azure;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.azure.baseline.AzureBaselineMapper;
import io.cloudwarden.provider.azure.compute.instance.ComputeInstance;
import io.cloudwarden.provider.azure.events.EventGridEventParser;
import io.cloudwarden.provider.azure.identity.key.IdentityKey;
import io.cloudwarden.provider.azure.identity.user.IdentityUser;
import io.cloudwarden.provider.azure.kms.key.KmsKey;
import io.cloudwarden.provider.azure.network.firewall.NetworkFirewall;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.state.BlobStateStore;
import io.cloudwarden.provider.azure.storage.bucket.StorageBucket;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure: Resource Graph + ARM + Microsoft Graph collectors, Event Grid parser, {@code azurerm_*} mapping, Blob state
 * store.
 */
public final class AzureProvider implements CloudProvider {
    /**
     * The types this provider covers, each declared once in its package. Adding a type = one package (an
     * {@link AzureType} with its collector, normalizer, remediators) + one entry here.
     */
    public static final List<AzureType> TYPES = List.of(new StorageBucket(), new NetworkFirewall(),
            new ComputeInstance(), new io.cloudwarden.provider.azure.compute.group.ComputeGroup(), new KmsKey(),
            new IdentityUser(), new IdentityKey());

    private static final List<ResourceDescriptor> DESCRIPTORS = TYPES.stream().map(AzureType::descriptor).toList();
    private static final List<Remediator> REMEDIATORS = TYPES.stream().flatMap(t -> t.remediators().stream())
            .toList();

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
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
        return List.of(new EventGridEventParser());
    }

    @Override
    public BaselineMapper baselineMapper() {
        return new AzureBaselineMapper();
    }

    /** Every model v1 type is supported: the Entra ID types through Microsoft Graph ({@code identity} package). */
    @Override
    public Map<String, String> unsupportedTypes() {
        return Map.of();
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        return new AzureSession(config);
    }

    @Override
    public Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        boolean blobUrl = (scheme.equals("https") || scheme.equals("http"))
                && location.getHost() != null
                && (location.getHost().contains(".blob.") || config.setting("storageAccountKey").isPresent()
                        || config.setting("storageSasToken").isPresent());
        if (!scheme.equals("azblob") && !blobUrl) {
            return Optional.empty();
        }
        return Optional.of(BlobStateStore.open(location, config, AzureSession.credential(config)));
    }

    /** A versioned Key Vault key URL: Key Vault {@code sign} (ES256) with the writer's credential. */
    @Override
    public Optional<io.cloudwarden.engine.audit.AuditSigner> auditSigner(String keyRef, ProviderConfig config) {
        if (!io.cloudwarden.provider.azure.audit.KeyVaultAuditSigner.matches(keyRef)) {
            return Optional.empty();
        }
        return io.cloudwarden.provider.azure.audit.KeyVaultAuditSigner.of(keyRef, new AzureSession(config))
                .map(s -> s);
    }

    @Override
    public Optional<io.cloudwarden.engine.audit.TrustedKey> auditKey(String keyRef, ProviderConfig config) {
        return auditSigner(keyRef, config).map(s -> ((io.cloudwarden.provider.azure.audit.KeyVaultAuditSigner) s)
                .trustedKey());
    }

    /** Sign with the audit key, nothing else (verifying needs only the public key: an auditor's read permission). */
    @Override
    public List<String> auditWriterPermissions() {
        return List.of("Microsoft.KeyVault/vaults/keys/sign/action");
    }
}
