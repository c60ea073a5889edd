package io.cloudwarden.app.aws;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS provider with its CloudTrail parser constructed with Cloudwarden's remediation role, so events made by
 * that role (our own fixes) are ignored instead of re-triggering detection. Everything else is delegated. The
 * provider's SPI has no configuration hook for event parsers, hence this wrapper.
 */
final class LoopGuardedAwsProvider implements CloudProvider {
    private final CloudProvider delegate;
    private final List<EventParser> parsers;

    LoopGuardedAwsProvider(CloudProvider delegate, String remediationRoleArn) {
        this.delegate = delegate;
        this.parsers = List.of(new CloudTrailEventParser(Optional.of(remediationRoleArn)));
    }

    @Override
    public Cloud cloud() {
        return delegate.cloud();
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return delegate.descriptors();
    }

    @Override
    public List<Remediator> remediators() {
        return delegate.remediators();
    }

    @Override
    public List<EventParser> eventParsers() {
        return parsers;
    }

    @Override
    public BaselineMapper baselineMapper() {
        return delegate.baselineMapper();
    }

    @Override
    public Map<String, String> unsupportedTypes() {
        return delegate.unsupportedTypes();
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        return delegate.open(config);
    }

    @Override
    public Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        return delegate.stateStore(location, config);
    }
}
