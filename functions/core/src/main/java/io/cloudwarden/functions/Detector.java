package io.cloudwarden.functions;

import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.state.FindingHistory;
import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scan use case (a schedule, {@code POST /scan}, {@code cloudwarden scan}): collect, save the snapshot, evaluate
 * the rules, diff against the previous snapshot, and emit remediation requests. Detection never mutates the cloud.
 */
public final class Detector {
    private final Cloudwarden cw;
    private final RemediationSink sink;

    public Detector(Cloudwarden cw, RemediationSink sink) {
        this.cw = cw;
        this.sink = sink;
    }

    public ScanOutcome scan(Collection<Cloud> clouds, Set<String> types, String trigger, Actor actor,
            ScanListener listener) {
        Telemetry t = cw.telemetry();
        long started = System.nanoTime();
        return t.inSpan(Telemetry.SCAN, Attributes.of(Telemetry.TRIGGER, trigger), () -> {
            ScanOutcome o = pooled(clouds, types, trigger, actor, t.shards(listener));
            t.metrics().scanFinished("pooled", Duration.ofNanos(System.nanoTime() - started));
            return o;
        });
    }

    private ScanOutcome pooled(Collection<Cloud> clouds, Set<String> types, String trigger, Actor actor,
            ScanListener listener) {
        Map<Cloud, ProviderSession> sessions = new EnumMap<>(Cloud.class);
        List<ScanError> openErrors = new ArrayList<>();
        for (Cloud c : clouds) {
            try {
                sessions.put(c, cw.session(c));
            } catch (RuntimeException e) {
                openErrors.add(new ScanError(c, "", "", "", "could not open " + c + " session: " + e.getMessage(),
                        e instanceof io.cloudwarden.engine.spi.ProviderException pe ? pe.nativeCode() : "SessionFailed"));
            }
        }
        Snapshot scanned = cw.pipeline().scan(sessions, types, listener);
        return conclude(scanned, openErrors, clouds, types, trigger, actor);
    }

    /**
     * Everything after collection, shared by the pooled scan and the fan-out's merge: merge {@code scanned} into the
     * latest snapshot and save it, evaluate the rules and save the findings, diff against the previous snapshot,
     * plan remediation under the guardrails, audit, and send the requests to the sink.
     */
    public ScanOutcome conclude(Snapshot scanned, List<ScanError> openErrors, Collection<Cloud> clouds,
            Set<String> types, String trigger, Actor actor) {
        // Saving folds the events' pending updates into the new base (see StateRepository.saveScan); a merge that
        // raced a compaction is redone on the new latest snapshot.
        var saved = cw.repository().saveScan(latest -> merge(latest, scanned, openErrors, Set.copyOf(clouds),
                types));
        Optional<Snapshot> previous = saved.previous();
        Snapshot merged = saved.snapshot();

        Telemetry t = cw.telemetry();
        long evaluating = System.nanoTime();
        Evaluation evaluation = t.inSpan(Telemetry.EVALUATE, Attributes.of(Telemetry.RESOURCES,
                (long) merged.resources().size()), () -> cw.policies().evaluateAll(merged.resources()));
        t.metrics().evaluated("scan", evaluation.findings(), Duration.ofNanos(System.nanoTime() - evaluating));
        t.metrics().scanned(scanned, merged.errors());
        cw.repository().saveFindings(evaluation.findings(), merged.takenAt());
        new FindingHistory(cw.repository().store()).recordScan(merged.takenAt(), trigger, evaluation.findings(),
                covered(scanned, merged, Set.copyOf(clouds), types));

        // The merged snapshot keeps the previous copies of what this scan could not read: the drift engine reports
        // them as "not compared" (never as removed or unchanged) and names the unread scopes. The previous
        // snapshot's resources carry no raw here (SavedScan): drift compares attributes.
        Optional<DriftReport> drift = previous.map(p -> new DriftEngine(cw.clock())
                .compareSnapshots(p, merged, IgnoreRules.none(), Map.of()));

        // The plan span covers sending the requests: their CloudEvents carry its trace context to the apply.
        Span planSpan = t.start(Telemetry.PLAN, Attributes.of(Telemetry.FINDINGS,
                (long) evaluation.findings().size()));
        try (Scope ignored = planSpan.makeCurrent()) {
            return planAndDispatch(merged, evaluation, drift, trigger, actor, clouds);
        } catch (RuntimeException e) {
            Telemetry.failed(planSpan, e);
            throw e;
        } finally {
            planSpan.end();
        }
    }

    private ScanOutcome planAndDispatch(Snapshot merged, Evaluation evaluation, Optional<DriftReport> drift,
            String trigger, Actor actor, Collection<Cloud> clouds) {
        List<PlanOutcome> outcomes = List.of();
        Optional<String> tripped = Optional.empty();
        try {
            outcomes = cw.planner().plan(evaluation.findings(), merged.resources(), trigger, actor);
        } catch (GuardrailTrippedException e) {
            tripped = Optional.of(e.getMessage());
            cw.audit().append(actor, "remediation.guardrail", "scan:" + trigger, "tripped",
                    ModelJson.mapper().createObjectNode().put("message", e.getMessage()));
        }
        cw.audit().append(actor, "scan", "scan:" + trigger, merged.partial() ? "partial" : "complete",
                ModelJson.mapper().createObjectNode()
                        .put("resources", merged.resources().size())
                        .put("errors", merged.errors().size())
                        .put("findings", evaluation.findings().size())
                        .put("clouds", clouds.toString()));
        Map<String, Resource> observed = new java.util.HashMap<>();
        merged.resources().forEach(r -> observed.put(r.matchKey(), r));
        Dispatch.all(sink, outcomes, trigger, observed);
        return new ScanOutcome(merged, evaluation, drift, outcomes, tripped);
    }

    /**
     * The new latest snapshot: what this scan read, plus — from the previous snapshot — the resources of clouds or
     * types this scan did not cover and of shards it failed to read (so a failed shard is an error, not a deletion).
     * The previous snapshot's resources are carried over as the very instances {@code previous} holds: the state
     * repository reads the stored base without {@code raw} for a scan and gives those instances their {@code raw}
     * back before the snapshot is written ({@code StateRepository.saveScan}), so a carried-over resource keeps its
     * evidence; a rebuilt copy would be saved without it.
     */
    static Snapshot merge(Optional<Snapshot> previous, Snapshot scanned, List<ScanError> openErrors,
            Set<Cloud> clouds, Set<String> types) {
        List<ScanError> errors = new ArrayList<>(scanned.errors());
        errors.addAll(openErrors);
        List<Resource> resources = new ArrayList<>(scanned.resources());
        previous.ifPresent(p -> p.resources().stream()
                .filter(r -> !clouds.contains(r.cloud()) || (!types.isEmpty() && !types.contains(r.type()))
                        || inFailedShard(r, errors))
                .forEach(resources::add));
        resources.sort(java.util.Comparator.comparing((Resource r) -> r.cloud().id()).thenComparing(Resource::type)
                .thenComparing(Resource::id));
        // The statistics say how this scan went (calls per service); they are not carried over from the previous one.
        return Snapshot.of(scanned.takenAt(), resources, errors).withStatistics(scanned.statistics());
    }

    /**
     * What this scan read, for the finding history: a resource it collected, or one of a cloud and type it covered
     * whose shard did not fail (a resource gone from such a scope was deleted). Resources carried over from failed
     * shards or from clouds and types the scan did not cover were not read: their findings are neither seen nor
     * resolved.
     */
    static java.util.function.Predicate<io.cloudwarden.model.ResourceRef> covered(Snapshot scanned, Snapshot merged,
            Set<Cloud> clouds, Set<String> types) {
        Set<String> read = new java.util.HashSet<>();
        scanned.resources().forEach(r -> read.add(r.matchKey()));
        return ref -> read.contains(ref.matchKey()) || (clouds.contains(ref.cloud())
                && (types.isEmpty() || types.contains(ref.type()))
                && merged.errors().stream().noneMatch(e -> e.covers(ref)));
    }

    static boolean inFailedShard(Resource r, List<ScanError> errors) {
        return ScanError.unread(errors, r);
    }

    /** Findings of the latest evaluation, for chat and CLI. */
    public List<Finding> latestFindings() {
        return cw.repository().latestFindings().map(d -> d.findings()).orElse(List.of());
    }
}
