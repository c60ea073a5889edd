package io.cloudwarden.provider.aws;

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
import io.cloudwarden.provider.aws.baseline.AwsBaselineMapper;
import io.cloudwarden.provider.aws.compute.instance.InstanceCollector;
import io.cloudwarden.provider.aws.compute.instance.InstanceNormalizer;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import io.cloudwarden.provider.aws.identity.key.AccessKeyCollector;
import io.cloudwarden.provider.aws.identity.key.AccessKeyNormalizer;
import io.cloudwarden.provider.aws.identity.user.UserCollector;
import io.cloudwarden.provider.aws.identity.user.UserNormalizer;
import io.cloudwarden.provider.aws.kms.key.KeyCollector;
import io.cloudwarden.provider.aws.kms.key.KeyNormalizer;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupCollector;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupNormalizer;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsSession;
import io.cloudwarden.provider.aws.state.S3StateStore;
import io.cloudwarden.provider.aws.storage.bucket.BucketCollector;
import io.cloudwarden.provider.aws.storage.bucket.BucketNormalizer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The AWS provider: S3, EC2 (security groups, instances), IAM (users, access keys) and KMS. Stateless. */
public final class AwsProvider implements CloudProvider {
    private static final Set<Capability> LIST_FETCH = Set.of(Capability.LIST, Capability.FETCH);

    private static final List<ResourceDescriptor> DESCRIPTORS = List.of(
            new ResourceDescriptor(ResourceTypes.STORAGE_BUCKET, "AWS::S3::Bucket", Scope.GLOBAL, LIST_FETCH,
                    BucketCollector.PERMISSIONS, new BucketCollector(), new BucketNormalizer()),
            new ResourceDescriptor(ResourceTypes.NETWORK_FIREWALL, "AWS::EC2::SecurityGroup", Scope.REGIONAL,
                    LIST_FETCH, SecurityGroupCollector.PERMISSIONS, new SecurityGroupCollector(),
                    new SecurityGroupNormalizer()),
            new ResourceDescriptor(ResourceTypes.COMPUTE_INSTANCE, "AWS::EC2::Instance", Scope.REGIONAL, LIST_FETCH,
                    InstanceCollector.PERMISSIONS, new InstanceCollector(), new InstanceNormalizer()),
            new ResourceDescriptor(ResourceTypes.IDENTITY_USER, "AWS::IAM::User", Scope.GLOBAL, LIST_FETCH,
                    UserCollector.PERMISSIONS, new UserCollector(), new UserNormalizer()),
            new ResourceDescriptor(ResourceTypes.IDENTITY_KEY, "AWS::IAM::AccessKey", Scope.GLOBAL, LIST_FETCH,
                    AccessKeyCollector.PERMISSIONS, new AccessKeyCollector(), new AccessKeyNormalizer()),
            new ResourceDescriptor(ResourceTypes.KMS_KEY, "AWS::KMS::Key", Scope.REGIONAL, LIST_FETCH,
                    KeyCollector.PERMISSIONS, new KeyCollector(), new KeyNormalizer()));

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
}
