package io.cloudwarden.provider.aws;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.aws.baseline.AwsBaselineMapper;
import io.cloudwarden.provider.aws.compute.group.ComputeGroup;
import io.cloudwarden.provider.aws.compute.instance.ComputeInstance;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import io.cloudwarden.provider.aws.identity.key.IdentityKey;
import io.cloudwarden.provider.aws.identity.user.IdentityUser;
import io.cloudwarden.provider.aws.kms.key.KmsKey;
import io.cloudwarden.provider.aws.network.firewall.NetworkFirewall;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsSession;
import io.cloudwarden.provider.aws.state.S3StateStore;
import io.cloudwarden.provider.aws.storage.bucket.StorageBucket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The AWS provider: S3, EC2 (security groups, instances), IAM (users, access keys) and KMS. Stateless. */
public final class AwsProvider implements CloudProvider {
    /**
     * The types this provider covers, each declared once in its package. Adding a type = one package (an
     * {@link AwsType} with its collector, normalizer, remediators) + one entry here.
     */
    public static final List<AwsType> TYPES = List.of(new StorageBucket(), new NetworkFirewall(),
            new ComputeInstance(), new ComputeGroup(), new IdentityUser(), new IdentityKey(), new KmsKey());

    private static final List<ResourceDescriptor> DESCRIPTORS = TYPES.stream().map(AwsType::descriptor).toList();

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return DESCRIPTORS;
    }

    @Override
    public List<Remediator> remediators() {
        return Remediators.all();
    }

    @Override
    public List<EventParser> eventParsers() {
        return List.of(new CloudTrailEventParser());
    }

    @Override
    public BaselineMapper baselineMapper() {
        return new AwsBaselineMapper();
    }

    @Override
    public Map<String, String> unsupportedTypes() {
        return Map.of();
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        if (config.cloud() != Cloud.AWS) {
            throw new IllegalArgumentException("config.cloud: expected aws but was " + config.cloud());
        }
        return new AwsSession(config);
    }

    /**
     * {@code s3://bucket/prefix}: an S3 client built like every other (endpoint, credentials, retry). The store owns
     * that client for the life of the process ({@link StateStore} has no close).
     */
    @Override
    public Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        if (location == null || !"s3".equalsIgnoreCase(location.getScheme())) {
            return Optional.empty();
        }
        String[] bp = S3StateStore.parse(location);
        AwsSession session = new AwsSession(config);
        return Optional.of(new S3StateStore(session.s3("", config.setting("stateRegion").orElse(session.homeRegion())),
                bp[0], bp[1]));
    }

    /** A KMS key ARN: KMS {@code Sign} with the writer's credentials in the key's region. */
    @Override
    public Optional<io.cloudwarden.engine.audit.AuditSigner> auditSigner(String keyRef, ProviderConfig config) {
        return io.cloudwarden.provider.aws.audit.KmsAuditSigner.region(keyRef).map(region ->
                new io.cloudwarden.provider.aws.audit.KmsAuditSigner(new AwsSession(config).kms("", region), keyRef));
    }

    @Override
    public Optional<io.cloudwarden.engine.audit.TrustedKey> auditKey(String keyRef, ProviderConfig config) {
        return auditSigner(keyRef, config).map(s -> ((io.cloudwarden.provider.aws.audit.KmsAuditSigner) s)
                .trustedKey());
    }

    /** Sign with the audit key, nothing else (verifying needs only the public key: an auditor's read permission). */
    @Override
    public List<String> auditWriterPermissions() {
        return List.of("kms:Sign");
    }
}
