package io.cloudwarden.provider.azure;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test helper: collect one shard with a descriptor and normalize it the way the scan pipeline does. */
final class Estate {
    private Estate() {
    }

    static List<Resource> collect(ProviderSession session, String type, String subscription) {
        ResourceDescriptor d = new AzureProvider().descriptors().stream().filter(x -> x.type().equals(type))
                .findFirst().orElseThrow();
        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.AZURE, subscription, "all", type), items::add);
        List<Resource> out = new ArrayList<>();
        for (NativeItem item : items) {
            out.add(toResource(d, item));
        }
        return out;
    }

    static Resource toResource(ResourceDescriptor d, NativeItem item) {
        Normalized n = d.normalizer().normalize(item);
        return Resource.builder().cloud(Cloud.AZURE).account(item.account()).region(item.region()).type(d.type())
                .id(item.id()).name(n.name()).nativeType(d.nativeType()).tags(n.tags()).attributes(n.attributes())
                .raw(item.json()).observedAt(Instant.parse("2026-11-23T10:00:00Z")).build();
    }

    static Resource byName(List<Resource> resources, String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no resource named " + name + " in " + resources));
    }

    static List<Resource> all(ProviderSession session, String subscription) {
        List<Resource> out = new ArrayList<>();
        for (ResourceDescriptor d : new AzureProvider().descriptors()) {
            out.addAll(collect(session, d.type(), subscription));
        }
        return out;
    }
}
