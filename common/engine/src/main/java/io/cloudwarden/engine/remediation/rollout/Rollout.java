package io.cloudwarden.engine.remediation.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.remediation.AuditSink;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.Guardrails;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord.Halt;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord.Item;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord.Wave;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one action to many resources in verified waves: a canary, then 25 %, then the rest (sizes from
 * {@link RolloutSettings}). Each resource is applied and verified on a re-read before the next one; a wave starts only
 * when the previous one is fully verified, after the configured pause, and inside the maintenance windows of its
 * resources. The first failed apply or verification halts the rollout on the spot: nothing after it is applied, the
 * halt is audited ({@code remediation.rollout} / {@code halted}) and the {@link Listener} is told the failing
 * resource and the reason (chatops, the CLI). The blast-radius breaker still caps the whole run: a rollout of more
 * resources than {@link Guardrails#maxChangesPerRun()} is refused before any wave. Progress is stored after every
 * resource ({@link RolloutStore}); running the same rollout id again resumes it, re-applying nothing already verified
 * (the halted resource is tried again, as a new attempt). A dry run only records and shows the waves.
 */
public final class Rollout {
    /** Applies and verifies one plan; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Step {
        RemediationResult apply(RemediationPlan plan, int attempt);
    }

    /** What the rollout tells the outside world (chatops, the CLI) as it goes. */
    public interface Listener {
        default void waveStarted(RolloutRecord rollout, Wave wave) {
        }

        default void halted(RolloutRecord rollout, Halt halt) {
        }

        default void waiting(RolloutRecord rollout, Instant nextStart) {
        }

        default void finished(RolloutRecord rollout) {
        }
    }

    /** Waits between waves (a real sleep in production, recorded in tests). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A plan and the tags of its resource (for the maintenance window). */
    public record Target(RemediationPlan plan, Map<String, String> tags) {
    }

    /** Statuses of a step that count as verified: applied and seen on a re-read, or nothing left to do. */
    static final Set<String> VERIFIED = Set.of("applied-verified", "already-compliant");

    private final RolloutSettings settings;
    private final Guardrails guardrails;
    private final RolloutStore store;
    private final AuditSink audit;
    private final Clock clock;
    private final Sleeper sleeper;

    public Rollout(RolloutSettings settings, Guardrails guardrails, RolloutStore store, AuditSink audit, Clock clock,
            Sleeper sleeper) {
        this.settings = settings;
        this.guardrails = guardrails;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The waves {@code targets} would be cut into, in order. */
    public List<Wave> waves(List<Target> targets) {
        List<Wave> waves = new ArrayList<>();
        int from = 0;
        int index = 1;
        for (int size : settings.sizes(targets.size())) {
            List<Item> items = new ArrayList<>();
            for (Target t : targets.subList(from, from + size)) {
                items.add(new Item(t.plan(), t.tags(), Item.PENDING, 0, ""));
            }
            waves.add(new Wave(index++, items));
            from += size;
        }
        return waves;
    }

    /**
     * Runs (or resumes) rollout {@code id} of {@code action} over {@code targets}. On resume the stored waves are used
     * and {@code targets} only has to name the same rollout.
     */
    public RolloutRecord run(String id, String action, List<Target> targets, Step step, Actor actor, Listener listener) {
        Optional<RolloutStore.Versioned> stored = store.find(id);
        int total = stored.map(v -> v.record().total()).orElse(targets.size());
        if (total > guardrails.maxChangesPerRun()) {
            ObjectNode d = details(id, action).put("resources", total).put("limit", guardrails.maxChangesPerRun());
            audit.record(actor, "remediation.rollout", id, "refused:blast-radius", d);
            throw new GuardrailTrippedException("blast-radius", "rollout " + id + " would change " + total
                    + " resources, more than the limit of " + guardrails.maxChangesPerRun()
                    + " (maxChangesPerRun); no wave was started");
        }
        RolloutRecord r = stored.map(RolloutStore.Versioned::record)
                .orElseGet(() -> new RolloutRecord(id, action, "planned", waves(targets), null, null, clock.instant()));
        String version = stored.map(RolloutStore.Versioned::version).orElse(null);
        if (r.status().equals("completed")) {
            return r;
        }
        if (guardrails.dryRun()) {
            if (version == null) {
                store.write(r, null);
            }
            audit.record(actor, "remediation.rollout", id, "dry-run", details(id, action).put("waves", r.waves().size())
                    .put("resources", r.total()));
            return r;
        }
        boolean resumed = version != null && !r.status().equals("planned");
        r = r.with("running", null, null, clock.instant());
        version = store.write(r, version);
        audit.record(actor, "remediation.rollout", id, resumed ? "resumed" : "started", details(id, action)
                .put("waves", r.waves().size()).put("resources", r.total()).put("verified", r.verifiedCount()));
        boolean ranAWave = false;
        for (int w = 0; w < r.waves().size(); w++) {
            Wave wave = r.waves().get(w);
            if (wave.verified()) {
                continue;
            }
            if (ranAWave && !settings.pause().isZero()) {
                try {
                    sleeper.sleep(settings.pause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    r = r.with("halted", new Halt(wave.index(), "", "interrupted during the pause before wave "
                            + wave.index()), null, clock.instant());
                    store.write(r, version);
                    audit.record(actor, "remediation.rollout", id, "halted", details(id, action));
                    listener.halted(r, r.halt());
                    return r;
                }
            }
            Optional<Instant> closed = closedUntil(wave);
            if (closed.isPresent()) {
                r = r.with("waiting-for-window", null, closed.get(), clock.instant());
                store.write(r, version);
                audit.record(actor, "remediation.rollout", id, "waiting-for-window", details(id, action)
                        .put("wave", wave.index()).put("nextStart", closed.get().toString()));
                listener.waiting(r, closed.get());
                return r;
            }
            listener.waveStarted(r, wave);
            ranAWave = true;
            for (int i = 0; i < wave.items().size(); i++) {
                Item item = wave.items().get(i);
                if (item.status().equals(Item.VERIFIED)) {
                    continue;
                }
                RemediationResult result;
                try {
                    result = step.apply(item.plan(), item.attempts() + 1);
                } catch (RuntimeException e) {
                    result = null;
                    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    r = fail(r, w, i, reason);
                    version = store.write(r, version);
                    return halt(r, version, actor, wave, item, reason, listener);
                }
                boolean ok = VERIFIED.contains(result.status());
                String message = result.status() + (result.message().isEmpty() ? "" : ": " + result.message());
                r = r.withItem(w, i, it -> new Item(it.plan(), it.tags(), ok ? Item.VERIFIED : Item.FAILED,
                        it.attempts() + 1, message), clock.instant());
                version = store.write(r, version);
                if (!ok) {
                    return halt(r, version, actor, wave, item, message, listener);
                }
            }
            audit.record(actor, "remediation.rollout", id, "wave-verified", details(id, action)
                    .put("wave", wave.index()).put("resources", wave.items().size()));
        }
        r = r.with("completed", null, null, clock.instant());
        store.write(r, version);
        audit.record(actor, "remediation.rollout", id, "completed", details(id, action).put("resources", r.total()));
        listener.finished(r);
        return r;
    }

    private RolloutRecord fail(RolloutRecord r, int w, int i, String reason) {
        return r.withItem(w, i, it -> new Item(it.plan(), it.tags(), Item.FAILED, it.attempts() + 1, reason),
                clock.instant());
    }

    private RolloutRecord halt(RolloutRecord r, String version, Actor actor, Wave wave, Item item, String reason,
            Listener listener) {
        Halt halt = new Halt(wave.index(), item.plan().resource().id(), reason);
        RolloutRecord halted = r.with("halted", halt, null, clock.instant());
        store.write(halted, version);
        int remaining = halted.total() - halted.verifiedCount();
        audit.record(actor, "remediation.rollout", r.id(), "halted", details(r.id(), r.action())
                .put("wave", wave.index()).put("resource", halt.resource()).put("reason", reason)
                .put("notApplied", remaining - 1));
        listener.halted(halted, halt);
        return halted;
    }

    /** Empty when every windowed resource of the wave is inside its window now; else when the wave may start. */
    private Optional<Instant> closedUntil(Wave wave) {
        Instant now = clock.instant();
        Instant latest = null;
        for (Item item : wave.items()) {
            String name = item.tags().get(settings.windowTag());
            if (name == null || name.isBlank()) {
                continue;
            }
            MaintenanceWindow window = settings.windows().get(name);
            if (window == null) {
                // an unknown window never opens: a typo must not mean "any time"
                return Optional.of(Instant.MAX);
            }
            Instant open = window.nextOpening(now);
            if (!open.equals(now) && (latest == null || open.isAfter(latest))) {
                latest = open;
            }
        }
        return Optional.ofNullable(latest);
    }

    private ObjectNode details(String id, String action) {
        return ModelJson.mapper().createObjectNode().put("rollout", id).put("action", action)
                .put("dryRun", guardrails.dryRun());
    }
}
