package io.cloudwarden.engine.scan;

import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a scope into shards (cloud × account × region × type): GLOBAL types get one shard per account with region
 * {@code global}, ACCOUNT types (bulk inventories such as Resource Graph, Cloud Asset Inventory) one per account with
 * region {@link #ALL_REGIONS}, REGIONAL types one per account × region.
 */
public final class ScanPlanner {
    /** Region of an account-wide shard. */
    public static final String ALL_REGIONS = io.cloudwarden.model.ScanError.ALL_REGIONS;

    private ScanPlanner() {
    }

    public static List<Shard> plan(ProviderSession session, List<ResourceDescriptor> descriptors, Set<String> types) {
        List<Shard> shards = new ArrayList<>();
        for (ScanTarget target : session.targets()) {
            for (ResourceDescriptor d : descriptors) {
                if (!types.isEmpty() && !types.contains(d.type())) {
                    continue;
                }
                switch (d.scope()) {
                    case GLOBAL -> shards.add(new Shard(session.cloud(), target.account(), Shard.GLOBAL, d.type()));
                    case ACCOUNT -> shards.add(new Shard(session.cloud(), target.account(), ALL_REGIONS, d.type()));
                    case REGIONAL -> target.regions().forEach(
                            r -> shards.add(new Shard(session.cloud(), target.account(), r, d.type())));
                    default -> throw new IllegalStateException("unknown scope " + d.scope());
                }
            }
        }
        return shards;
    }
}
