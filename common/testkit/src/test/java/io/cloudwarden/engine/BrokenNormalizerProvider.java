package io.cloudwarden.engine;

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

/** Wraps a provider so its normalizers throw for resources whose attributes are empty. */
final class BrokenNormalizerProvider implements CloudProvider {
    private final CloudProvider delegate;

    BrokenNormalizerProvider(CloudProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public Cloud cloud() {
        return delegate.cloud();
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return delegate.descriptors().stream().map(d -> new ResourceDescriptor(d.type(), d.nativeType(), d.scope(),
                d.capabilities(), d.readPermissions(), d.collector(), item -> {
                    if (item.json().path("attributes").isEmpty()) {
                        throw new IllegalArgumentException("attributes missing");
                    }
                    return d.normalizer().normalize(item);
                })).toList();
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
