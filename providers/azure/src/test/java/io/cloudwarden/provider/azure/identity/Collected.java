package io.cloudwarden.provider.azure.identity;

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

/** Test helper: one shard collected and normalized the way the scan pipeline does it. */
final class Collected {
    private Collected() {
    }

    static List<Resource> shard(ProviderSession session, ResourceDescriptor d, String account) {
        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.AZURE, account, Shard.GLOBAL, d.type()), items::add);
        return items.stream().map(i -> resource(d, i)).toList();
    }

    static Resource resource(ResourceDescriptor d, NativeItem item) {
        Normalized n = d.normalizer().normalize(item);
        return Resource.builder().cloud(Cloud.AZURE).account(item.account()).region(item.region()).type(d.type())
                .id(item.id()).name(n.name()).nativeType(d.nativeType()).tags(n.tags()).attributes(n.attributes())
                .raw(item.json()).observedAt(Instant.parse("2026-11-23T10:00:00Z")).build();
    }

    static Resource named(List<Resource> resources, String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no resource named " + name + " in "
                        + resources.stream().map(Resource::name).toList()));
    }
}
