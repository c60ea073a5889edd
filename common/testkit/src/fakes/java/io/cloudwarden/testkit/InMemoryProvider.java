package io.cloudwarden.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A provider test double: an in-memory estate for one cloud, with one REGIONAL descriptor per normalized type, a
 * {@code storage.bucket/block-public-access} remediator (HIGH risk when constructed so) that flips
 * {@code publicAccess} to false, and switchable failures per (account, region, type) shard. For engine, function and
 * chatops tests; never registered through ServiceLoader.
 */
public final class InMemoryProvider implements CloudProvider {
    public static final String BLOCK_PUBLIC = "storage.bucket/block-public-access";

    private final Cloud cloud;
    private final Map<String, Resource> estate = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    private final List<ScanTarget> targets;
    private final RemediationPlan.Risk remediationRisk;
    private final AtomicInteger applyCount = new AtomicInteger();
    private final AtomicInteger fetchCount = new AtomicInteger();
    private volatile boolean applyHasEffect = true;
    private final java.util.Set<String> noEffectOn = ConcurrentHashMap.newKeySet();

    public InMemoryProvider(Cloud cloud, List<ScanTarget> targets, RemediationPlan.Risk remediationRisk) {
        this.cloud = cloud;
        this.targets = List.copyOf(targets);
        this.remediationRisk = remediationRisk;
    }

    public static InMemoryProvider aws() {
        return new InMemoryProvider(Cloud.AWS, List.of(new ScanTarget("111122223333", List.of("us-east-1",
                "eu-west-1"))), RemediationPlan.Risk.LOW);
    }

    public InMemoryProvider put(Resource r) {
        estate.put(r.matchKey(), r);
        return this;
    }

    public InMemoryProvider remove(ResourceRef ref) {
        estate.remove(ref.matchKey());
        return this;
    }

    public Optional<Resource> get(ResourceRef ref) {
        return Optional.ofNullable(estate.get(ref.matchKey()));
    }

    /** Makes the shard (account, region, type) fail with {@code error}. */
    public InMemoryProvider failShard(String account, String region, String type, RuntimeException error) {
        failures.put(account + "|" + region + "|" + type, error);
        return this;
    }

    /** When false, apply does nothing (to exercise verify-after-apply failures). */
    public InMemoryProvider applyHasEffect(boolean value) {
        this.applyHasEffect = value;
        return this;
    }

    /** Apply does nothing on the resource {@code id} only (one resource of a rollout fails its verification). */
    public InMemoryProvider applyHasNoEffectOn(String id) {
        noEffectOn.add(id);
        return this;
    }

    /** Undoes {@link #applyHasNoEffectOn}. */
    public InMemoryProvider applyHasEffectOn(String id) {
        noEffectOn.remove(id);
        return this;
    }

    public int applyCount() {
        return applyCount.get();
    }

    /** How many single-resource reads ({@code fetch}) were made: the event path's cloud calls. */
    public int fetchCount() {
        return fetchCount.get();
    }

    @Override
    public Cloud cloud() {
        return cloud;
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        List<ResourceDescriptor> out = new ArrayList<>();
        for (String type : ResourceTypes.ALL) {
            out.add(new ResourceDescriptor(type, "InMemory::" + type, Scope.REGIONAL,
                    Set.of(Capability.LIST, Capability.FETCH), List.of("memory:Read"), collector(),
                    item -> new Normalized(item.json().path("name").asText(), tags(item),
                            (ObjectNode) item.json().path("attributes"))));
        }
        return out;
    }

    private static Map<String, String> tags(NativeItem item) {
        Map<String, String> tags = new HashMap<>();
        item.json().path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }

    private ResourceCollector collector() {
        return new ResourceCollector() {
            @Override
            public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
                RuntimeException failure = failures.get(shard.account() + "|" + shard.region() + "|" + shard.type());
                if (failure != null) {
                    throw failure;
                }
                estate.values().stream()
                        .filter(r -> r.type().equals(shard.type()) && r.account().equals(shard.account())
                                && r.region().equals(shard.region()))
                        .sorted(java.util.Comparator.comparing(Resource::id))
                        .forEach(r -> sink.accept(toItem(r)));
            }

            @Override
            public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
                fetchCount.incrementAndGet();
                return Optional.ofNullable(estate.get(ref.matchKey())).map(InMemoryProvider::toItem);
            }
        };
    }

    private static NativeItem toItem(Resource r) {
        ObjectNode json = ModelJson.mapper().createObjectNode();
        json.put("name", r.name());
        json.set("tags", ModelJson.mapper().valueToTree(r.tags()));
        json.set("attributes", r.attributes());
        return new NativeItem(r.id(), r.account(), r.region(), json);
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new Remediator() {
            @Override
            public String actionId() {
                return BLOCK_PUBLIC;
            }

            @Override
            public String appliesTo() {
                return ResourceTypes.STORAGE_BUCKET;
            }

            @Override
            public List<String> permissions() {
                return List.of("memory:Write");
            }

            @Override
            public RemediationPlan.Risk risk() {
                return remediationRisk;
            }

            @Override
            public String description() {
                return "Sets publicAccess to false";
            }

            @Override
            public Optional<PlannedChange> plan(Resource current) {
                if (!current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).asBoolean(false)) {
                    return Optional.empty();
                }
                ObjectNode before = ModelJson.mapper().createObjectNode().put(Attributes.StorageBucket.PUBLIC_ACCESS, true);
                ObjectNode after = ModelJson.mapper().createObjectNode().put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
                return Optional.of(new PlannedChange("block public access on " + current.name(), before, after,
                        null));
            }

            @Override
            public void apply(ProviderSession session, RemediationPlan plan) {
                applyCount.incrementAndGet();
                Resource r = estate.get(plan.resource().matchKey());
                if (r == null) {
                    throw new ProviderException(cloud, "memory:Write", "NotFound", false,
                            "resource " + plan.resource().id() + " not found");
                }
                if (applyHasEffect && !noEffectOn.contains(r.id())) {
                    ObjectNode attrs = r.attributes().deepCopy();
                    attrs.put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
                    estate.put(r.matchKey(), r.toBuilder().attributes(attrs).build());
                }
            }
        });
    }

    @Override
    public List<EventParser> eventParsers() {
        return List.of();
    }

    @Override
    public BaselineMapper baselineMapper() {
        return new BaselineMapper() {
            @Override
            public Set<String> terraformTypes() {
                return new HashSet<>();
            }

            @Override
            public BaselineResult map(List<TerraformInstance> instances) {
                return new BaselineResult(List.of(), List.of());
            }

            @Override
            public java.util.Optional<io.cloudwarden.engine.spi.TerraformImport> terraformImport(
                    io.cloudwarden.model.Resource observed) {
                return imports.apply(observed);
            }
        };
    }

    private volatile java.util.function.Function<io.cloudwarden.model.Resource,
            java.util.Optional<io.cloudwarden.engine.spi.TerraformImport>> imports = r -> java.util.Optional.empty();

    /** How this provider's baseline mapper answers {@code terraformImport} (default: it knows no Terraform type). */
    public InMemoryProvider imports(java.util.function.Function<io.cloudwarden.model.Resource,
            java.util.Optional<io.cloudwarden.engine.spi.TerraformImport>> how) {
        this.imports = how;
        return this;
    }

    @Override
    public Map<String, String> unsupportedTypes() {
        return new LinkedHashMap<>();
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        return new ProviderSession() {
            @Override
            public Cloud cloud() {
                return cloud;
            }

            @Override
            public ProviderConfig config() {
                return config;
            }

            @Override
            public List<ScanTarget> targets() {
                return targets;
            }

            @Override
            public void close() {
            }
        };
    }
}
