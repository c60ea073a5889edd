package io.cloudwarden.functions;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.policy.PolicyEngine;
import io.cloudwarden.engine.policy.PolicyLoader;
import io.cloudwarden.engine.remediation.PlanStore;
import io.cloudwarden.engine.remediation.RemediationExecutor;
import io.cloudwarden.engine.remediation.RemediationPlanner;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.Cloud;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * The cloud-neutral core, wired once per process (a CLI run, a function instance): registry, state, audit chain,
 * policy engine, scan pipeline and remediation. Provider sessions are opened lazily per cloud and reused; close the
 * runtime to close them.
 */
public final class Cloudwarden implements AutoCloseable {
    private final CoreConfig config;
    private final ProviderRegistry registry;
    private final StateStore store;
    private final StateRepository repository;
    private final AuditChain audit;
    private final PolicyEngine policies;
    private final ScanPipeline pipeline;
    private final RemediationPlanner planner;
    private final RemediationExecutor executor;
    private final Clock clock;
    private final Map<Cloud, ProviderSession> sessions = new EnumMap<>(Cloud.class);
    private volatile Telemetry telemetry = Telemetry.noop();

    public Cloudwarden(CoreConfig config, ProviderRegistry registry, StateStore store, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.repository = new StateRepository(store, config.keepSnapshots(), config.compactAfter());
        this.audit = AuditTrails.open(config, registry, store, clock);
        // User rule files compile eagerly (a bad rule fails before anything is read); the built-in pack, which its
        // tests compile whole, compiles a type's rules when its first resource is evaluated, so a scan of one type
        // does not compile the other types' rules (docs/PERFORMANCE.md, "Scan CPU of the 2,000-bucket estate").
        this.policies = config.policies().map(p -> new PolicyEngine(PolicyLoader.load(p)))
                .orElseGet(() -> PolicyEngine.lazy(PolicyLoader.builtIn(), Clock.systemUTC()));
        int parallelism = Integer.parseInt(config.get("cloudwarden.scan.parallelism").orElse("8"));
        this.pipeline = new ScanPipeline(registry, parallelism, clock);
        this.planner = new RemediationPlanner(registry, config.guardrails(), clock);
        // The executor flushes its audit records before and after a change to the cloud, and claims the plan's key
        // before it: inside a write group (the event path's, StateStore.group) those writes are deferred, so each of
        // those points also syncs the group, making them durable before the change is made.
        this.executor = new RemediationExecutor(registry, pipeline, config.guardrails(), new PlanStore(store),
                (key, claim) -> {
                    boolean first = repository.claimOnce(key, claim);
                    store.sync();
                    return first;
                }, new io.cloudwarden.engine.remediation.AuditSink() {
                    @Override
                    public void record(io.cloudwarden.model.Actor actor, String action, String subject,
                            String outcome, com.fasterxml.jackson.databind.JsonNode details) {
                        audit.record(actor, action, subject, outcome, details);
                    }

                    @Override
                    public void flush() {
                        audit.flush();
                        store.sync();
                    }
                }, clock);
        this.audit.onAppend(r -> telemetry.metrics().audited(r));
    }

    /**
     * Metrics and traces (docs/TELEMETRY.md); a no-op unless the binding installed some with
     * {@link #telemetry(Telemetry)}.
     */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Installs the binding's telemetry; closing the runtime closes it (flushes its exporters). */
    public Cloudwarden telemetry(Telemetry t) {
        this.telemetry = java.util.Objects.requireNonNull(t, "telemetry");
        return this;
    }

    /** Wires the runtime from configuration: providers by ServiceLoader, state from {@code cloudwarden.state}. */
    public static Cloudwarden fromConfig(CoreConfig config) {
        ProviderRegistry registry = ProviderRegistry.discover();
        return new Cloudwarden(config, registry, StateStores.open(config.stateLocation(), registry, config),
                Clock.systemUTC());
    }

    public CoreConfig config() {
        return config;
    }

    public ProviderRegistry registry() {
        return registry;
    }

    public StateStore store() {
        return store;
    }

    public StateRepository repository() {
        return repository;
    }

    public AuditChain audit() {
        return audit;
    }

    public PolicyEngine policies() {
        return policies;
    }

    public ScanPipeline pipeline() {
        return pipeline;
    }

    public RemediationPlanner planner() {
        return planner;
    }

    public RemediationExecutor executor() {
        return executor;
    }

    public Clock clock() {
        return clock;
    }

    /** The session of one cloud, opened on first use with that cloud's configuration. */
    public synchronized ProviderSession session(Cloud cloud) {
        return sessions.computeIfAbsent(cloud, c -> registry.require(c).open(config.provider(c)));
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(ProviderSession::close);
        sessions.clear();
        telemetry.close();
    }
}
