package io.cloudwarden.testkit;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import java.util.List;
import java.util.Map;

/** A provider that forwards everything to another; tests override the one part they change. */
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
}
