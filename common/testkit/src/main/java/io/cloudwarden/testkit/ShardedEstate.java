package io.cloudwarden.testkit;

import io.cloudwarden.engine.spi.ForwardingProvider;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * An estate of {@code accounts × regions} shards of one type ({@code storage.bucket}) with one bucket per shard,
 * for fan-out tests: a scheduled scan of it plans exactly {@code accounts × regions} shards. Bucket names are
 * {@code b-<account>-<region>}; every fifth bucket is public, so the merged run has findings.
 */
public final class ShardedEstate extends ForwardingProvider {
    private final InMemoryProvider memory;
    private final List<ScanTarget> targets;

    private ShardedEstate(InMemoryProvider memory, List<ScanTarget> targets) {
        super(memory);
        this.memory = memory;
        this.targets = targets;
    }

    /** {@code accounts} accounts ({@code 100000000000}, {@code 100000000001}, ...) with {@code regions} regions each. */
    public static ShardedEstate of(Cloud cloud, int accounts, int regions) {
        List<ScanTarget> targets = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            List<String> rs = new ArrayList<>();
            for (int r = 0; r < regions; r++) {
                rs.add("region-" + r);
            }
            targets.add(new ScanTarget(account(a), rs));
        }
        InMemoryProvider memory = new InMemoryProvider(cloud, targets, RemediationPlan.Risk.LOW);
        int n = 0;
        for (ScanTarget t : targets) {
            for (String region : t.regions()) {
                String name = "b-" + t.account() + "-" + region;
                memory.put(Resources.awsBucket(name, n++ % 5 == 0).toBuilder().cloud(cloud).account(t.account())
                        .region(region).id(cloud == Cloud.AWS ? "arn:aws:s3:::" + name : idOf(cloud, t, name))
                        .build());
            }
        }
        return new ShardedEstate(memory, targets);
    }

    private static String idOf(Cloud cloud, ScanTarget t, String name) {
        return switch (cloud) {
            case AZURE -> "/subscriptions/" + t.account() + "/resourceGroups/rg/providers/"
                    + "Microsoft.Storage/storageAccounts/" + name;
            case GCP -> "//storage.googleapis.com/" + name;
            case AWS -> "arn:aws:s3:::" + name;
        };
    }

    public static String account(int index) {
        return String.valueOf(100000000000L + index);
    }

    public InMemoryProvider memory() {
        return memory;
    }

    public List<ScanTarget> targets() {
        return targets;
    }

    /** The number of shards a scan of every type plans: one per account × region. */
    public int shards() {
        return targets.stream().mapToInt(t -> t.regions().size()).sum();
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return super.descriptors().stream().filter(d -> d.type().equals(ResourceTypes.STORAGE_BUCKET)).toList();
    }
}
