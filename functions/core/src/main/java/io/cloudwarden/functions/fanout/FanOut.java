package io.cloudwarden.functions.fanout;

import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.scan.ScanPlanner;
import io.cloudwarden.engine.scan.ScanRun;
import io.cloudwarden.engine.scan.ScanRuns;
import io.cloudwarden.engine.scan.ShardResult;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A scheduled scan fanned out over the cloud's work queue: {@link #plan} (the scheduled function) splits the scope
 * into shards with {@link ScanPlanner} and queues one {@link ScanRequest} per shard; {@link #collect} (the queue
 * function, once per message) reads one shard and writes its {@link ShardResult} with a conditional write; when the
 * last shard is in — or, once the run's deadline has passed, on the next shard or the next tick's {@link #sweep} —
 * one instance claims the merge and {@link Detector#conclude concludes} the run exactly as a pooled scan does
 * (snapshot, findings, drift since the previous snapshot, remediation requests). A shard that is missing at the
 * deadline becomes a {@link ScanError} ({@value #MISSING}), so the snapshot keeps that shard's previous resources
 * rather than reporting them deleted. State layout: {@link ScanRuns}.
 *
 * <p>Configuration: {@value #ENABLED} ({@code true} makes the scheduled scan fan out; needs a work queue),
 * {@value #DEADLINE} (ISO-8601 duration after planning, default {@code PT30M}).
 */
public final class FanOut {
    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());
    public static final String ENABLED = "cloudwarden.fanout";
    public static final String DEADLINE = "cloudwarden.fanout.deadline";
    public static final String MISSING = "ShardMissing";
    /** A {@code merging} claim older than this is taken over: its instance died (a Lambda runs at most 15 min). */
    static final Duration STALE_MERGE = Duration.ofMinutes(15);

    private final Cloudwarden cw;
    private final Detector detector;
    private final Optional<ShardQueue> queue;
    private final ScanRuns runs;
    private final Duration deadline;

    public FanOut(Cloudwarden cw, Detector detector, Optional<ShardQueue> queue) {
        this.cw = cw;
        this.detector = detector;
        this.queue = queue;
        this.runs = new ScanRuns(cw.repository());
        this.deadline = deadline(cw);
    }

    private static Duration deadline(Cloudwarden cw) {
        String v = cw.config().get(DEADLINE).orElse("PT30M");
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(DEADLINE, "a positive ISO-8601 duration such as PT30M", v);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(DEADLINE, "an ISO-8601 duration such as PT30M", v);
        }
    }

    /** True when scheduled scans should fan out: {@value #ENABLED} is true and a work queue is configured. */
    public boolean enabled() {
        return queue.isPresent() && Boolean.parseBoolean(cw.config().get(ENABLED).orElse("false"));
    }

    public ScanRuns runs() {
        return runs;
    }

    /**
     * Plans the run of {@code trigger} (the same trigger plans the same run) and queues every shard that has no
     * result yet. A cloud whose session cannot be opened is a planning error carried into the merged snapshot.
     */
    public ScanRun plan(Collection<Cloud> clouds, Set<String> types, String trigger, Actor actor) {
        // The run's shard messages carry this span's trace context: each shard's collect joins the run's trace.
        return cw.telemetry().inSpan(Telemetry.SCAN, Attributes.of(Telemetry.TRIGGER, trigger),
                () -> planInSpan(clouds, types, trigger, actor));
    }

    private ScanRun planInSpan(Collection<Cloud> clouds, Set<String> types, String trigger, Actor actor) {
        ShardQueue q = queue.orElseThrow(() -> new IllegalStateException("no work queue configured to fan out on"));
        Instant now = cw.clock().instant();
        List<Shard> shards = new ArrayList<>();
        List<ScanError> errors = new ArrayList<>();
        for (Cloud c : clouds) {
            try {
                ProviderSession session = cw.session(c);
                shards.addAll(ScanPlanner.plan(session, cw.registry().require(c).descriptors(), types));
            } catch (RuntimeException e) {
                errors.add(new ScanError(c, "", "", "", "could not plan " + c + " shards: " + describe(e), code(e)));
            }
        }
        ScanRun run = runs.create(new ScanRun(ScanRun.SCHEMA, ScanRuns.runId(trigger), trigger, actor, now,
                now.plus(deadline), List.copyOf(clouds), types, shards, errors));
        int queued = 0;
        for (Shard s : run.shards()) {
            if (!runs.hasResult(run.id(), s)) {
                q.enqueue(new ScanRequest(run.id(), s, run.deadline()));
                queued++;
            }
        }
        cw.audit().append(actor, "scan.planned", "run:" + run.id(), "queued", ModelJson.mapper().createObjectNode()
                .put("trigger", trigger).put("shards", run.shards().size()).put("queued", queued)
                .put("deadline", run.deadline().toString()));
        if (run.shards().isEmpty()) {
            merge(run); // nothing to wait for (every cloud failed to plan): the errors are the run's result
        }
        return run;
    }

    /** What one shard message did. */
    public record Collected(String run, Shard shard, boolean duplicate, boolean failed, int resources,
            Optional<ScanOutcome> merged) {
    }

    /**
     * Collects the shard of {@code request} unless it already has a result (a redelivery) or its run was already
     * merged (a late delivery) — then nothing is read or written — then merges the run if every shard is in or its deadline has passed. A shard whose reading fails is
     * a result too (its {@link ScanError}), so the message is done and the rest of the run completes.
     *
     * @throws IllegalArgumentException when the run is unknown (the message is then redelivered, and finally
     *         dead-lettered, rather than dropped)
     */
    public Collected collect(ScanRequest request) {
        ScanRun run = runs.find(request.run()).orElseThrow(() -> new IllegalArgumentException("data.run: no planned"
                + " run " + request.run() + " in " + cw.store().describe()));
        Shard shard = request.shard();
        if (!run.shards().contains(shard)) {
            throw new IllegalArgumentException("data.shard: " + shard + " is not a shard of run " + run.id());
        }
        if (runs.merge(run.id()).map(m -> ScanRuns.Merge.MERGED.equals(m.value().status())
                || ScanRuns.Merge.SUPERSEDED.equals(m.value().status())).orElse(false)) {
            // late: the run was merged (by its deadline) without this shard; reading it now would change nothing
            return new Collected(run.id(), shard, true, false, 0, Optional.empty());
        }
        boolean first = false;
        ShardResult result = null;
        if (!runs.hasResult(run.id(), shard)) {
            result = read(run, shard);
            first = runs.putResult(result);
        }
        Optional<ScanOutcome> merged = mergeIfDue(run);
        return new Collected(run.id(), shard, !first, first && result.failed(),
                first ? result.resources().size() : 0, merged);
    }

    private ShardResult read(ScanRun run, Shard shard) {
        Instant observedAt = run.createdAt();
        ScanPipeline.Collected c;
        Telemetry t = cw.telemetry();
        Span span = t.start(Telemetry.COLLECT, Telemetry.shardAttributes(shard).toBuilder()
                .put(Telemetry.RUN, run.id()).build());
        long started = System.nanoTime();
        try (Scope ignored = span.makeCurrent()) {
            ProviderSession session = cw.session(shard.cloud());
            List<io.cloudwarden.model.ApiCalls> before = session.callStatistics();
            try {
                c = cw.pipeline().collect(session, shard, observedAt);
            } finally {
                // the calls this shard made (a queue instance reads one shard at a time)
                t.metrics().apiCalls(io.cloudwarden.engine.spi.concurrency.CallStatistics.since(before,
                        session.callStatistics()));
            }
        } catch (RuntimeException e) {
            c = new ScanPipeline.Collected(List.of(), List.of(new ScanError(shard.cloud(), shard.account(),
                    shard.region(), shard.type(), describe(e), code(e))));
        }
        boolean failed = c.resources().isEmpty() && !c.errors().isEmpty();
        t.metrics().shardCollected(shard, java.time.Duration.ofNanos(System.nanoTime() - started), failed);
        span.setAttribute(Telemetry.RESOURCES, (long) c.resources().size());
        if (failed) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, c.errors().get(0).code());
        }
        span.end();
        return new ShardResult(run.id(), shard, cw.clock().instant(), c.resources(), c.errors());
    }

    /** Merges {@code run} when all its shards are in or its deadline has passed and nobody merged it yet. */
    public Optional<ScanOutcome> mergeIfDue(ScanRun run) {
        if (runs.merge(run.id()).map(m -> !ScanRuns.Merge.FAILED.equals(m.value().status())).orElse(false)
                && !staleMerging(run)) {
            return Optional.empty();
        }
        boolean complete = runs.resultKeys(run.id()).size() >= run.shards().size();
        if (!complete && !run.overdue(cw.clock().instant())) {
            return Optional.empty();
        }
        return merge(run);
    }

    private boolean staleMerging(ScanRun run) {
        return runs.merge(run.id()).map(m -> ScanRuns.Merge.MERGING.equals(m.value().status())
                && m.value().at().isBefore(cw.clock().instant().minus(STALE_MERGE))).orElse(false);
    }

    /** Merges every run that is due and not merged (the scheduled function calls this on each tick). */
    public List<ScanOutcome> sweep() {
        List<ScanOutcome> out = new ArrayList<>();
        for (ScanRun run : runs.all()) {
            mergeIfDue(run).ifPresent(out::add);
        }
        return out;
    }

    private Optional<ScanOutcome> merge(ScanRun run) {
        Instant now = cw.clock().instant();
        String by = "merge@" + now;
        if (!runs.claimMerge(run.id(), ScanRuns.Merge.started(now, by), now.minus(STALE_MERGE))) {
            return Optional.empty();
        }
        try {
            Optional<Snapshot> latest = cw.repository().latestSnapshot();
            if (latest.isPresent() && latest.get().takenAt().isAfter(run.createdAt())) {
                // a newer scan is already the latest: merging this one would move the estate back in time
                runs.finishMerge(run.id(), new ScanRuns.Merge(ScanRuns.Merge.SUPERSEDED, cw.clock().instant(), by,
                        0, 0, 0, 0, "a newer snapshot (" + latest.get().takenAt() + ") is already the latest"));
                prune();
                return Optional.empty();
            }
            List<Resource> resources = new ArrayList<>();
            List<ScanError> errors = new ArrayList<>(run.planErrors());
            Set<Shard> in = new HashSet<>();
            for (ShardResult r : runs.results(run.id())) {
                if (run.shards().contains(r.shard()) && in.add(r.shard())) {
                    resources.addAll(r.resources());
                    errors.addAll(r.errors());
                }
            }
            int missing = 0;
            for (Shard s : run.shards()) {
                if (!in.contains(s)) {
                    missing++;
                    errors.add(new ScanError(s.cloud(), s.account(), s.region(), s.type(), "shard not collected by"
                            + " the run's deadline " + run.deadline() + " (run " + run.id() + ")", MISSING));
                }
            }
            Snapshot scanned = Snapshot.of(run.createdAt(), resources, errors);
            ScanOutcome outcome = detector.conclude(scanned, List.of(), run.clouds(), run.types(), run.trigger(),
                    run.actor());
            cw.telemetry().metrics().scanFinished("fanout", Duration.between(run.createdAt(), cw.clock().instant()));
            runs.finishMerge(run.id(), new ScanRuns.Merge(ScanRuns.Merge.MERGED, cw.clock().instant(), by,
                    outcome.snapshot().resources().size(), outcome.snapshot().errors().size(), missing,
                    outcome.evaluation().findings().size(), ""));
            prune();
            return Optional.of(outcome);
        } catch (RuntimeException e) {
            runs.finishMerge(run.id(), new ScanRuns.Merge(ScanRuns.Merge.FAILED, cw.clock().instant(), by, 0, 0, 0,
                    0, describe(e)));
            throw e;
        }
    }

    /**
     * Drops the records of finished runs beyond the snapshot retention ({@code cloudwarden.state.keep-snapshots}, see
     * {@link ScanRuns#prune}). The run is merged by then, so a store that refuses a delete does not undo or fail the
     * merge: it is logged and the next merge prunes again.
     */
    private void prune() {
        try {
            runs.prune(cw.repository().keepSnapshots());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "fan-out: pruning old run records failed (retried after the next"
                    + " merge): {0}", describe(e));
        }
    }

    /** Every run with where it stands, oldest first ({@code cloudwarden status}, chatops {@code status}). */
    public List<RunStatus> status() {
        return RunStatus.all(runs, cw.clock().instant());
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String code(RuntimeException e) {
        return e instanceof ProviderException pe ? pe.nativeCode() : e.getClass().getSimpleName();
    }
}
