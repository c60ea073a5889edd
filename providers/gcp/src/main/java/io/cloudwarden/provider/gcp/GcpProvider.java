package io.cloudwarden.provider.gcp;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.baseline.GcpBaselineMapper;
import io.cloudwarden.provider.gcp.compute.instance.InstanceNormalizer;
import io.cloudwarden.provider.gcp.compute.instance.InstanceCollector;
import io.cloudwarden.provider.gcp.events.AuditLogEventParser;
import io.cloudwarden.provider.gcp.identity.key.ServiceAccountKeyCollector;
import io.cloudwarden.provider.gcp.identity.key.ServiceAccountKeyDisable;
import io.cloudwarden.provider.gcp.identity.key.ServiceAccountKeyNormalizer;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountCollector;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountNormalizer;
import io.cloudwarden.provider.gcp.kms.key.CryptoKeyCollector;
import io.cloudwarden.provider.gcp.kms.key.CryptoKeyNormalizer;
import io.cloudwarden.provider.gcp.kms.key.KmsSetRotation;
import io.cloudwarden.provider.gcp.network.firewall.FirewallCollector;
import io.cloudwarden.provider.gcp.network.firewall.FirewallDisableInternetIngress;
import io.cloudwarden.provider.gcp.network.firewall.FirewallNormalizer;
import io.cloudwarden.provider.gcp.session.GcpSession;
import io.cloudwarden.provider.gcp.state.GcsStateStore;
import io.cloudwarden.provider.gcp.storage.bucket.BucketBlockPublicAccess;
import io.cloudwarden.provider.gcp.storage.bucket.BucketCollector;
import io.cloudwarden.provider.gcp.storage.bucket.BucketNormalizer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Google Cloud: every type is listed per project through Cloud Asset Inventory ({@link Scope#ACCOUNT}: one shard
 * per project covering all locations) and fetched singly through the owning service where a REST client exists.
 */
public final class GcpProvider implements CloudProvider {
    static final String LIST = "cloudasset.assets.listResource";
    static final String LIST_IAM = "cloudasset.assets.listIamPolicy";
    static final String HISTORY = "cloudasset.assets.exportResource";
    /** Every Cloud Asset Inventory call also needs this on the quota project. */
    static final String USE = "serviceusage.services.use";

    private static final List<ResourceDescriptor> DESCRIPTORS = List.of(
            new ResourceDescriptor(ResourceTypes.STORAGE_BUCKET, GcpIds.BUCKET_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH),
                    List.of(USE, LIST, LIST_IAM, "storage.buckets.get", "storage.buckets.getIamPolicy"),
                    new BucketCollector(), new BucketNormalizer()),
            new ResourceDescriptor(ResourceTypes.NETWORK_FIREWALL, GcpIds.FIREWALL_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH), List.of(USE, LIST, "compute.firewalls.get"),
                    new FirewallCollector(), new FirewallNormalizer()),
            new ResourceDescriptor(ResourceTypes.COMPUTE_INSTANCE, GcpIds.INSTANCE_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH), List.of(USE, LIST, "compute.instances.get"),
                    new InstanceCollector(), new InstanceNormalizer()),
            new ResourceDescriptor(ResourceTypes.IDENTITY_USER, GcpIds.SERVICE_ACCOUNT_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH), List.of(USE, LIST, LIST_IAM, HISTORY),
                    new ServiceAccountCollector(), new ServiceAccountNormalizer()),
            new ResourceDescriptor(ResourceTypes.IDENTITY_KEY, GcpIds.SERVICE_ACCOUNT_KEY_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH), List.of(USE, LIST, HISTORY),
                    new ServiceAccountKeyCollector(), new ServiceAccountKeyNormalizer()),
            new ResourceDescriptor(ResourceTypes.KMS_KEY, GcpIds.CRYPTO_KEY_TYPE, Scope.ACCOUNT,
                    Set.of(Capability.LIST, Capability.FETCH), List.of(USE, LIST, HISTORY),
                    new CryptoKeyCollector(), new CryptoKeyNormalizer()));

    private static final List<Remediator> REMEDIATORS = List.of(new BucketBlockPublicAccess(),
            new FirewallDisableInternetIngress(), new ServiceAccountKeyDisable(), new KmsSetRotation());

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
        // issue 15: only AWS collects compute.group yet
        return Map.of(io.cloudwarden.model.ResourceTypes.COMPUTE_GROUP, "managed instance groups (and instance CPU from Cloud Monitoring timeSeries.list) are not collected yet");
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
}
