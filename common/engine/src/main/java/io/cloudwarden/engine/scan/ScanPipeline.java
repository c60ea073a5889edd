package io.cloudwarden.engine.scan;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.ScanStatistics;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.model.schema.Violation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs shards on a bounded pool and assembles a snapshot. A shard that fails (a {@link ProviderException} or any
 * unexpected exception) becomes a {@link ScanError} and the other shards finish; a single item that cannot be
 * normalized becomes a ScanError naming the item, and the rest of its shard is kept.
 */
public final class ScanPipeline {
    private final ProviderRegistry registry;
    private final int parallelism;
    private final Clock clock;

    public ScanPipeline(ProviderRegistry registry, int parallelism, Clock clock) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism: expected >= 1 but was " + parallelism);
        }
        this.registry = registry;
        this.parallelism = parallelism;
        this.clock = clock;
    }

    /**
     * Scans every shard of the given sessions (one per cloud), restricted to {@code types} when not empty.
     * Session-level failures (e.g. the account cannot be discovered) are recorded as errors of that cloud.
     */
    public Snapshot scan(Map<Cloud, ProviderSession> sessions, Set<String> types, ScanListener listener) {
        Instant takenAt = clock.instant();
        Map<Cloud, List<ApiCalls>> callsBefore = new java.util.EnumMap<>(Cloud.class);
        sessions.forEach((c, s) -> callsBefore.put(c, s.callStatistics()));
        List<ScanError> errors = new ArrayList<>();
        List<ShardWork> work = new ArrayList<>();
        for (Map.Entry<Cloud, ProviderSession> e : sessions.entrySet()) {
            CloudProvider provider = registry.require(e.getKey());
            try {
                for (Shard shard : ScanPlanner.plan(e.getValue(), provider.descriptors(), types)) {
                    ResourceDescriptor d = registry.descriptor(shard.cloud(), shard.type()).orElseThrow();
                    work.add(new ShardWork(shard, d, e.getValue()));
                }
            } catch (RuntimeException ex) {
                errors.add(new ScanError(e.getKey(), "", "", "", "could not plan scan: " + describe(ex), code(ex)));
            }
        }
        listener.planned(work.stream().map(ShardWork::shard).toList());
        List<Resource> resources = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, work.size())), r -> {
            Thread t = new Thread(r, "cloudwarden-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Collected>> futures = new ArrayList<>();
            for (ShardWork w : work) {
                futures.add(pool.submit(() -> runShard(w, takenAt, listener)));
            }
            for (Future<Collected> f : futures) {
                Collected r = f.get();
                resources.addAll(r.resources());
                errors.addAll(r.errors());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", ex);
        } catch (ExecutionException ex) {
            throw new IllegalStateException("scan worker failed unexpectedly", ex.getCause());
        } finally {
            pool.shutdownNow();
        }
        resources.sort(Comparator.comparing((Resource r) -> r.cloud().id()).thenComparing(Resource::type)
                .thenComparing(Resource::id));
        errors.sort(Comparator.comparing((ScanError e) -> e.cloud().id()).thenComparing(ScanError::account)
                .thenComparing(ScanError::region).thenComparing(ScanError::type));
        Snapshot snapshot = Snapshot.of(takenAt, resources, errors);
        // Calls made through these sessions during this scan (a session shared by two concurrent scans counts both).
        List<ApiCalls> calls = new ArrayList<>();
        sessions.forEach((c, s) -> calls.addAll(CallStatistics.since(callsBefore.get(c), s.callStatistics())));
        return calls.isEmpty() ? snapshot : snapshot.withStatistics(new ScanStatistics(calls));
    }

    /**
     * Collects one shard on the calling thread, as a queue function does for one {@code scan.requested} message:
     * the same reading, normalizing and validating as a pooled scan, and the same rule that a failed shard
     * contributes no resources and one {@link ScanError}.
     */
    public Collected collect(ProviderSession session, Shard shard, Instant observedAt) {
        ResourceDescriptor d = registry.descriptor(shard.cloud(), shard.type()).orElseThrow(() ->
                new ProviderException(shard.cloud(), "collect", "UnsupportedType", false,
                        "no descriptor for type " + shard.type() + " in cloud " + shard.cloud()));
        return runShard(new ShardWork(shard, d, session), observedAt, ScanListener.NONE);
    }

    /** Re-reads one resource by ref (event-driven runs, verify after apply). Empty when it no longer exists. */
    public Optional<Resource> fetch(ProviderSession session, ResourceRef ref) {
        ResourceDescriptor d = registry.descriptor(ref.cloud(), ref.type()).orElseThrow(() ->
                new ProviderException(ref.cloud(), "fetch", "UnsupportedType", false,
                        "no descriptor for type " + ref.type() + " in cloud " + ref.cloud()));
        return d.collector().fetch(session, ref).map(item -> toResource(session.cloud(), d, item, clock.instant()));
    }

    private Collected runShard(ShardWork w, Instant observedAt, ScanListener listener) {
        List<Resource> out = new ArrayList<>();
        List<ScanError> errors = new ArrayList<>();
        Shard s = w.shard();
        // Errors name the scope as the shard's resources carry it (ScanError#covers decides what they cover).
        String account = unreadAccount(w);
        listener.shardStarted(s);
        try {
            w.descriptor().collector().collect(w.session(), s, item -> {
                try {
                    Resource r = toResource(s.cloud(), w.descriptor(), item, observedAt);
                    // A resource that breaks the model's schema would poison the stored snapshot (every later read
                    // would reject it): it becomes an error naming the field, never part of the snapshot.
                    List<Violation> violations = ResourceValidator.validate(r);
                    if (violations.isEmpty()) {
                        out.add(r);
                    } else {
                        errors.add(new ScanError(s.cloud(), account, s.region(), s.type(), item.id()
                                + " does not match the " + s.type() + " schema: " + violations.get(0).pointer() + ": "
                                + violations.get(0).expected(),
                                "SchemaViolation"));
                    }
                } catch (RuntimeException ex) {
                    errors.add(new ScanError(s.cloud(), account, s.region(), s.type(),
                            "could not normalize " + item.id() + ": " + describe(ex), "NormalizationFailed"));
                }
            });
            listener.shardFinished(s, out.size());
            return new Collected(out, errors);
        } catch (RuntimeException ex) {
            ScanError error = new ScanError(s.cloud(), account, s.region(), s.type(), describe(ex), code(ex));
            listener.shardFailed(s, error);
            // A failed shard contributes no partial resources: half a shard would read as deletions in drift.
            errors.add(error);
            return new Collected(List.of(), errors);
        }
    }

    /** {@link io.cloudwarden.engine.spi.ResourceCollector#resourceAccount}; unknown ("", every account) if it fails. */
    private static String unreadAccount(ShardWork w) {
        try {
            String a = w.descriptor().collector().resourceAccount(w.session(), w.shard());
            return a == null ? "" : a;
        } catch (RuntimeException e) {
            return "";
        }
    }

    static Resource toResource(Cloud cloud, ResourceDescriptor d, NativeItem item, Instant observedAt) {
        Normalized n = d.normalizer().normalize(item);
        return Resource.builder().cloud(cloud).account(item.account()).region(item.region()).type(d.type())
                .id(item.id()).name(n.name()).nativeType(d.nativeType()).tags(n.tags()).attributes(n.attributes())
                .raw(item.json()).observedAt(observedAt).build();
    }

    private static String describe(RuntimeException ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    private static String code(RuntimeException ex) {
        return ex instanceof ProviderException pe ? pe.nativeCode() : ex.getClass().getSimpleName();
    }

    private record ShardWork(Shard shard, ResourceDescriptor descriptor, ProviderSession session) {
    }

    /** What one shard yielded: its resources, or (when it failed) none and the error. */
    public record Collected(List<Resource> resources, List<ScanError> errors) {
        public Collected {
            resources = List.copyOf(resources);
            errors = List.copyOf(errors);
        }
    }
}
