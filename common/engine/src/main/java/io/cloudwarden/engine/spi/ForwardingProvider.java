package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;
import java.util.List;
import java.util.Map;

/**
 * A provider that forwards everything to another, for wrappers that change one part (a binding that configures the
 * event parsers, a test that breaks a normalizer).
 */
public abstract class ForwardingProvider implements CloudProvider {
    protected final CloudProvider delegate;

    protected ForwardingProvider(CloudProvider delegate) {
        this.delegate = delegate;
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
        return delegate.eventParsers();
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
    public java.util.Optional<StateStore> stateStore(java.net.URI location, ProviderConfig config) {
        return delegate.stateStore(location, config);
    }
}
