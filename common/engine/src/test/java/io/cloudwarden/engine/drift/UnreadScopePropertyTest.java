package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.Snapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * For random estates of the three clouds, scanned by the real {@link ScanPipeline} through descriptors shaped like
 * each provider's (AWS: S3 and IAM listings are GLOBAL shards whose buckets live in many regions, EC2 REGIONAL;
 * Azure: Resource Graph ACCOUNT shards ({@code *}), Entra GLOBAL shards planned per subscription whose resources carry
 * the tenant; GCP: Cloud Asset Inventory ACCOUNT shards), with random shards failing: nothing inside an unread scope
 * is ever reported missing (against a Terraform-like baseline that may not know the account or spells it in another
 * case) or removed (against the previous, complete scan) — and a resource deleted from a shard that was read still
 * is.
 */
class UnreadScopePropertyTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final String TENANT = "7D3F2A1B-4C5E-4F60-8A9B-0C1D2E3F4A5B";

    /** One native type as a provider declares it, and how its collector keys what it lists. */
    record Shape(Cloud cloud, String type, Scope scope, List<String> itemRegions, boolean tenantKeyed) {
    }

    static final List<Shape> SHAPES = List.of(
            new Shape(Cloud.AWS, "storage.bucket", Scope.GLOBAL, List.of("us-east-1", "eu-west-1", "ap-south-1"),
                    false),
            new Shape(Cloud.AWS, "identity.user", Scope.GLOBAL, List.of("global"), false),
            new Shape(Cloud.AWS, "network.firewall", Scope.REGIONAL, List.of(), false),
            new Shape(Cloud.AZURE, "storage.bucket", Scope.ACCOUNT, List.of("eastus", "westeurope"), false),
            new Shape(Cloud.AZURE, "identity.user", Scope.GLOBAL, List.of("global"), true),
            new Shape(Cloud.GCP, "storage.bucket", Scope.ACCOUNT, List.of("US", "europe-west1"), false),
            new Shape(Cloud.GCP, "identity.user", Scope.ACCOUNT, List.of("global"), false));

    static final Map<Cloud, List<ScanTarget>> TARGETS = Map.of(
            Cloud.AWS, List.of(new ScanTarget("111111111111", List.of("us-east-1", "eu-west-1")),
                    new ScanTarget("222222222222", List.of("us-east-1", "eu-west-1"))),
            Cloud.AZURE, List.of(new ScanTarget("0b1f6471-1bf0-4dda-aec3-cb9272f09590", List.of()),
                    new ScanTarget("5c2e9a70-3d4b-4e6f-9a1b-2c3d4e5f6a7b", List.of())),
            Cloud.GCP, List.of(new ScanTarget("cw-prod", List.of()), new ScanTarget("cw-dev", List.of())));

    /** A generated estate: the items each shard lists, and which shards fail. */
    static final class Estate {
        final Map<Shard, List<NativeItem>> byShard = new HashMap<>();
        final Set<Shard> failing = new HashSet<>();
        final Map<String, Shard> shardOfKey = new HashMap<>();

        Estate(long seed) {
            Random random = new Random(seed);
            for (Shape shape : SHAPES) {
                List<ScanTarget> targets = TARGETS.get(shape.cloud());
                for (ScanTarget t : targets) {
                    for (Shard shard : shards(shape, t, targets)) {
                        List<NativeItem> items = new ArrayList<>();
                        // The tenant is read once, on the first subscription's shard; the others list nothing and
                        // call nothing (GraphIds.readsTenant), so they cannot fail.
                        boolean reads = !shape.tenantKeyed() || t == targets.get(0);
                        int n = reads ? random.nextInt(4) : 0;
                        for (int i = 0; i < n; i++) {
                            String region = shape.scope() == Scope.REGIONAL ? shard.region()
                                    : shape.itemRegions().get(random.nextInt(shape.itemRegions().size()));
                            String account = shape.tenantKeyed() ? TENANT : shard.account();
                            String id = shape.cloud().id() + "/" + account + "/" + region + "/" + shape.type() + "/"
                                    + shard.account() + "-" + i;
                            ObjectNode json = attributes(shape.type(), random.nextBoolean());
                            items.add(new NativeItem(id, account, region, json));
                        }
                        byShard.put(shard, items);
                        items.forEach(it -> shardOfKey.put(ResourceRef.matchKey(shape.cloud(), shape.type(), it.id()),
                                shard));
                        if (reads && random.nextInt(4) == 0) {
                            failing.add(shard);
                        }
                    }
                }
            }
        }

        /** Attributes that satisfy the model's schema of {@code type}. */
        static ObjectNode attributes(String type, boolean flag) {
            ObjectNode a = ModelJson.mapper().createObjectNode();
            switch (type) {
                case "storage.bucket" -> {
                    a.put("publicAccess", flag).put("versioning", true).putNull("minTlsVersion").put("logging", false);
                    a.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
                }
                case "identity.user" -> a.put("mfaEnabled", flag).put("admin", false).put("consoleAccess", true)
                        .putNull("lastUsedAt");
                case "network.firewall" -> {
                    a.putArray("rules");
                    a.putArray("internetIngress");
                }
                default -> throw new IllegalArgumentException(type);
            }
            return a;
        }

        /** As the planner plans them. */
        static List<Shard> shards(Shape shape, ScanTarget t, List<ScanTarget> targets) {
            return switch (shape.scope()) {
                case GLOBAL -> List.of(new Shard(shape.cloud(), t.account(), Shard.GLOBAL, shape.type()));
                case ACCOUNT -> List.of(new Shard(shape.cloud(), t.account(), "*", shape.type()));
                case REGIONAL -> t.regions().stream().map(r -> new Shard(shape.cloud(), t.account(), r, shape.type()))
                        .toList();
            };
        }
    }

    @Property(tries = 300)
    void nothingInsideAnUnreadScopeIsEverMissingOrRemoved(@ForAll long seed) {
        Estate estate = new Estate(seed);
        Random random = new Random(~seed);
        Snapshot complete = scan(estate, Set.of(), Set.of());
        // Some resources are deleted between the two scans; in a failed shard nobody can tell.
        Set<String> deleted = complete.resources().stream().map(Resource::matchKey)
                .filter(k -> random.nextInt(5) == 0).collect(Collectors.toSet());
        Snapshot partial = scan(estate, estate.failing, deleted);

        // The Terraform view: an AWS bucket's address names no account; azurerm spells GUIDs its own way.
        List<Resource> baseline = complete.resources().stream().map(r -> terraformView(r, random)).toList();
        DriftReport drift = new DriftEngine().compareToBaseline(baseline, partial, IgnoreRules.none(), List.of());
        DriftReport diff = new DriftEngine().compareSnapshots(complete, partial, IgnoreRules.none(), Map.of());
        // The scan use case keeps the previous copies of what it could not read (so the latest snapshot stays whole)
        List<Resource> kept = new ArrayList<>(partial.resources());
        complete.resources().stream().filter(r -> estate.failing.contains(estate.shardOfKey.get(r.matchKey())))
                .forEach(kept::add);
        DriftReport merged = new DriftEngine().compareSnapshots(complete, Snapshot.of(T0, kept, partial.errors()),
                IgnoreRules.none(), Map.of());
        assertThat(merged.drift()).as("kept copies are neither removed nor modified")
                .allMatch(d -> !unreadKeysOf(estate, complete).contains(d.resource().matchKey()));
        assertThat(merged.managed()).isEqualTo(diff.managed());

        Set<String> unreadKeys = unreadKeysOf(estate, complete);
        for (DriftReport r : List.of(drift, diff, merged)) {
            Set<String> missing = r.ofKind(ResourceDrift.Kind.MISSING).stream().map(d -> d.resource().matchKey())
                    .collect(Collectors.toSet());
            assertThat(missing.stream().filter(unreadKeys::contains).toList())
                    .as(r.mode() + ": missing/removed inside an unread scope").isEmpty();
            Set<String> notCompared = r.notCompared().stream().map(n -> n.address()).collect(Collectors.toSet());
            complete.resources().stream().filter(x -> unreadKeys.contains(x.matchKey())).forEach(x ->
                    assertThat(notCompared).as(r.mode() + ": not compared")
                            .contains(x.cloud().id() + ":" + x.type() + ":" + x.id()));
            assertThat(r.unread()).hasSize(estate.failing.size());
        }
        // What was read still tells deletions: a resource deleted from a shard that was read is removed.
        Set<String> removed = diff.ofKind(ResourceDrift.Kind.MISSING).stream().map(d -> d.resource().matchKey())
                .collect(Collectors.toSet());
        Set<String> readDeletions = new HashSet<>(deleted);
        readDeletions.removeAll(unreadKeys);
        assertThat(removed).isEqualTo(readDeletions);
    }

    /** The keys of the resources that failing shards hold. */
    static Set<String> unreadKeysOf(Estate estate, Snapshot complete) {
        return complete.resources().stream().map(Resource::matchKey)
                .filter(k -> estate.failing.contains(estate.shardOfKey.get(k))).collect(Collectors.toSet());
    }

    static Resource terraformView(Resource r, Random random) {
        Resource.Builder b = Resource.builder().cloud(r.cloud()).type(r.type()).id(r.id()).region(r.region())
                .attributes(r.attributes()).account(r.account());
        if (r.cloud() == Cloud.AWS && r.type().equals("storage.bucket")) {
            b.account("");
        } else if (r.cloud() == Cloud.AZURE && random.nextBoolean()) {
            b.account(r.account().toUpperCase(Locale.ROOT));
        } else if (random.nextInt(4) == 0) {
            b.account("");
        }
        return b.build();
    }

    static Snapshot scan(Estate estate, Set<Shard> failing, Set<String> deleted) {
        List<CloudProvider> providers = new ArrayList<>();
        Map<Cloud, ProviderSession> sessions = new EnumMap<>(Cloud.class);
        for (Cloud c : Cloud.values()) {
            providers.add(new ShapedProvider(c, estate, failing, deleted));
            sessions.put(c, new Session(c));
        }
        return new ScanPipeline(ProviderRegistry.of(providers), 1, Clock.fixed(T0, ZoneOffset.UTC))
                .scan(sessions, Set.of(), ScanListener.NONE);
    }

    record Session(Cloud cloud) implements ProviderSession {
        @Override
        public ProviderConfig config() {
            return null;
        }

        @Override
        public List<ScanTarget> targets() {
            return TARGETS.get(cloud);
        }

        @Override
        public void close() {
        }
    }

    record ShapedProvider(Cloud cloud, Estate estate, Set<Shard> failing, Set<String> deleted)
            implements CloudProvider {
        @Override
        public List<ResourceDescriptor> descriptors() {
            return SHAPES.stream().filter(s -> s.cloud() == cloud).map(this::descriptor).toList();
        }

        private ResourceDescriptor descriptor(Shape shape) {
            ResourceCollector collector = new ResourceCollector() {
                @Override
                public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
                    if (failing.contains(shard)) {
                        throw new ProviderException(cloud, "list", "AccessDenied", false, "denied");
                    }
                    estate.byShard.getOrDefault(shard, List.of()).stream()
                            .filter(i -> !deleted.contains(ResourceRef.matchKey(cloud, shape.type(), i.id())))
                            .forEach(sink);
                }

                @Override
                public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
                    return Optional.empty();
                }

                @Override
                public String resourceAccount(ProviderSession session, Shard shard) {
                    return shape.tenantKeyed() ? TENANT.toLowerCase(Locale.ROOT) : shard.account();
                }
            };
            return new ResourceDescriptor(shape.type(), cloud.id() + "::" + shape.type(), shape.scope(),
                    Set.of(Capability.LIST), List.of("read"), collector,
                    item -> new Normalized(item.id(), Map.of(), (ObjectNode) item.json()));
        }

        @Override
        public List<Remediator> remediators() {
            return List.of();
        }

        @Override
        public List<EventParser> eventParsers() {
            return List.of();
        }

        @Override
        public BaselineMapper baselineMapper() {
            return null;
        }

        @Override
        public Map<String, String> unsupportedTypes() {
            return Map.of();
        }

        @Override
        public ProviderSession open(ProviderConfig config) {
            return new Session(cloud);
        }
    }
}
