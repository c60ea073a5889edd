package io.cloudwarden.engine;

import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ForwardingProvider;
import java.util.List;

/** Wraps a provider so its normalizers throw for resources whose attributes are empty. */
final class BrokenNormalizerProvider extends ForwardingProvider {
    BrokenNormalizerProvider(CloudProvider delegate) {
        super(delegate);
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
}
