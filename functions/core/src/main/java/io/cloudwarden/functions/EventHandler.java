package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.engine.state.ActorIndex;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.Snapshot;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event use case: parse a cloud's trigger payload, drop duplicates (every delivery path is at-least-once),
 * re-collect only the resources it names (one read each), evaluate the rules on them, record their drift with the
 * event's actor, record each change as a small per-resource update of the latest snapshot, and emit remediation
 * requests (an in-process consumer reuses the event's read when nothing is applied). A schedule tick runs a full scan of that cloud.
 */
public final class EventHandler {
    private final Cloudwarden cw;
    private final Detector detector;
    private final RemediationSink sink;
    private final ScheduledScans schedules;

    public EventHandler(Cloudwarden cw, RemediationSink sink) {
        this.cw = cw;
        this.sink = sink;
        this.detector = new Detector(cw, sink);
        this.schedules = new ScheduledScans(cw, detector);
    }

    /** With the binding's scheduled-scan entry point, so a schedule reaching the event path fans out the same way. */
    public EventHandler(Cloudwarden cw, RemediationSink sink, ScheduledScans schedules) {
        this.cw = cw;
        this.sink = sink;
        this.detector = new Detector(cw, sink);
        this.schedules = schedules;
    }

    /** Parses only: the resource events (for {@code event --parse-only}). */
    public ParsedEvents parse(Cloud cloud, JsonNode envelope) {
        List<EventParser> parsers = cw.registry().eventParsers(cloud);
        for (EventParser p : parsers) {
            if (p.accepts(envelope)) {
                return p.parse(envelope);
            }
        }
        throw new EventParseException("envelope", "not a recognised " + cloud + " event (expected "
                + expectedShape(cloud) + ")");
    }

    private static String expectedShape(Cloud cloud) {
        return switch (cloud) {
            case AWS -> "an EventBridge event with source, detail-type and detail";
            case AZURE -> "an Event Grid delivery (array, Event Grid or CloudEvents schema)";
            case GCP -> "a Cloud Audit Log CloudEvent or a Pub/Sub push body";
        };
    }

    public EventOutcome handle(Cloud cloud, JsonNode envelope) {
        return cw.telemetry().inSpan(Telemetry.EVENT, Attributes.of(Telemetry.CLOUD, cloud.id()),
                () -> handleInSpan(cloud, envelope));
    }

    private EventOutcome handleInSpan(Cloud cloud, JsonNode envelope) {
        ParsedEvents parsed = parse(cloud, envelope);
        if (parsed.reply().isPresent()) {
            return new EventOutcome(List.of(), parsed.ignored(), List.of(), List.of(), List.of(), List.of(),
                    parsed.reply(), Optional.empty());
        }
        if (parsed.scheduled()) {
            String tick = envelope.path("id").asText(envelope.path("time").asText("schedule"));
            return schedule(cloud, tick, envelope, parsed.ignored());
        }
        // Events are marked handled only after the work succeeded, so a delivery that failed half-way is redone by
        // the trigger's retry. Two deliveries racing may both be processed; remediation stays exactly-once because
        // the executor claims each plan key (finding + action + event id) before applying it.
        List<String> duplicates = new ArrayList<>();
        List<ResourceEvent> fresh = new ArrayList<>();
        for (ResourceEvent e : parsed.events()) {
            if (cw.repository().isClaimed(eventKey(cloud, e))) {
                duplicates.add(e.eventId());
            } else {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return new EventOutcome(parsed.events(), parsed.ignored(), duplicates, List.of(), List.of(), List.of(),
                    Optional.empty(), Optional.empty());
        }
        // Each named resource is read once (several events may name the same one; the last event says whether it
        // was deleted) and compared with its latest state: the base snapshot's entry plus its own pending updates,
        // without reading the rest of the snapshot.
        Map<String, ResourceEvent> lastEvent = new java.util.LinkedHashMap<>();
        Map<String, io.cloudwarden.model.Actor> actors = new HashMap<>();
        for (ResourceEvent e : fresh) {
            lastEvent.put(e.ref().matchKey(), e);
            actors.put(e.ref().matchKey(), e.actor());
        }
        List<Resource> before = new ArrayList<>();
        List<Resource> after = new ArrayList<>();
        Map<String, Optional<Resource>> now = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ResourceEvent> entry : lastEvent.entrySet()) {
            ResourceEvent e = entry.getValue();
            cw.repository().latestResource(e.ref()).ifPresent(before::add);
            Optional<Resource> read = e.deleted() ? Optional.empty() : cw.pipeline().fetch(cw.session(cloud), e.ref());
            read.ifPresent(after::add);
            now.put(entry.getKey(), read);
        }
        java.time.Instant observedAt = cw.clock().instant();
        DriftReport drift = new DriftEngine(cw.clock()).compareSnapshots(
                Snapshot.of(observedAt, before, List.of()), Snapshot.of(observedAt, after, List.of()),
                IgnoreRules.none(), actors);
        long evaluating = System.nanoTime();
        List<Finding> findings = cw.telemetry().inSpan(Telemetry.EVALUATE, Attributes.of(Telemetry.RESOURCES,
                (long) after.size()), () -> cw.policies().evaluateAll(after).findings());
        cw.telemetry().metrics().evaluated("event", findings,
                java.time.Duration.ofNanos(System.nanoTime() - evaluating));
        cw.telemetry().metrics().eventsEvaluated(cloud, fresh.stream().map(ResourceEvent::time).toList(),
                cw.clock().instant());
        // The event's writes (its updates, the plans it creates, its audit records, its idempotency claims) are one
        // write group of the state store: made durable together when the group ends, in the order they were made,
        // the claims last, so an event is marked handled only once its work is stored (StateStore.group; the file
        // store fsyncs them concurrently, one journal commit instead of one per fsync: docs/MODEL.md "Write groups").
        // Something about to act on the cloud syncs the group first (Cloudwarden's audit sink and ledger).
        List<PlanOutcome> outcomes = cw.store().group(() -> record(cloud, fresh, lastEvent, now, after, findings,
                observedAt));
        try {
            cw.repository().compactIfDue();
        } catch (RuntimeException e) {
            // The event's work is done and recorded; the updates stay pending and the next event, scan or
            // `cloudwarden compact` folds them. The failure is audited, not hidden.
            cw.audit().append(io.cloudwarden.model.Actor.SYSTEM, "state.compact", "event:" + fresh.get(0).eventId(),
                    "failed", ModelJson.mapper().createObjectNode().put("message", String.valueOf(e.getMessage())));
        }
        List<ResourceDrift> driftEntries = drift.drift();
        return new EventOutcome(parsed.events(), parsed.ignored(), duplicates, findings, driftEntries, outcomes,
                Optional.empty(), Optional.empty());
    }

    /** Records the event's change, plans and dispatches its remediation, audits it and claims it (one write group). */
    private List<PlanOutcome> record(Cloud cloud, List<ResourceEvent> fresh, Map<String, ResourceEvent> lastEvent,
            Map<String, Optional<Resource>> now, List<Resource> after, List<Finding> findings,
            java.time.Instant observedAt) {
        // The change is recorded as one small update per resource (its new state and findings), not as a rewrite
        // of the whole snapshot; readers lay the updates over the last full snapshot (StateRepository). The update is
        // also the event's finding-history observation (evaluatedAt) and carries who changed the resource
        // (lastChange): one durable write per resource instead of three (FindingHistory, ActorIndex).
        for (Map.Entry<String, Optional<Resource>> entry : now.entrySet()) {
            String eventId = lastEvent.get(entry.getKey()).eventId();
            StateRepository.ResourceUpdate update = entry.getValue()
                    .map(r -> StateRepository.ResourceUpdate.present(r, findings.stream()
                            .filter(f -> f.resource().matchKey().equals(entry.getKey())).toList(), eventId))
                    .orElseGet(() -> StateRepository.ResourceUpdate.deleted(lastEvent.get(entry.getKey()).ref(),
                            observedAt, eventId));
            cw.repository().recordUpdate(update.evaluatedAt(observedAt)
                    .withLastChange(lastChange(fresh, entry.getKey())));
        }

        // The event's audit records and those of the plans it creates are appended with one write when the
        // dispatch is done (AuditChain.batched), before the event is marked handled; a plan about to be applied
        // flushes them first (RemediationExecutor).
        String trigger = fresh.get(0).eventId();
        List<PlanOutcome> outcomes = cw.audit().batched(() -> {
            List<PlanOutcome> planned = List.of();
            try {
                planned = cw.telemetry().inSpan(Telemetry.PLAN, Attributes.of(Telemetry.FINDINGS,
                        (long) findings.size()), () -> cw.planner().plan(findings, after, trigger,
                        fresh.get(0).actor()));
            } catch (GuardrailTrippedException ex) {
                cw.audit().record(io.cloudwarden.model.Actor.SYSTEM, "remediation.guardrail", "event:" + trigger,
                        "tripped", ModelJson.mapper().createObjectNode().put("message", ex.getMessage()));
            }
            for (ResourceEvent e : fresh) {
                cw.audit().record(e.actor(), "event", e.id(), "processed", ModelJson.mapper().createObjectNode()
                        .put("cloud", cloud.id()).put("action", e.action()).put("eventId", e.eventId())
                        .put("findings", findings.stream().filter(f -> f.resource().matchKey()
                                .equals(e.ref().matchKey())).count()));
            }
            Map<String, Resource> observed = new HashMap<>();
            after.forEach(r -> observed.put(r.matchKey(), r));
            Dispatch.all(sink, planned, trigger, observed);
            return planned;
        });
        fresh.forEach(e -> cw.repository().claimOnce(eventKey(cloud, e), ModelJson.mapper().valueToTree(e)));
        return outcomes;
    }

    /**
     * Who changed the resource {@code matchKey}, as the events of this delivery name it: the newest event (by its
     * time; the later one on a tie) with a known actor; null when none names one.
     */
    private static ActorIndex.LastChange lastChange(List<ResourceEvent> events, String matchKey) {
        ActorIndex.LastChange last = null;
        for (ResourceEvent e : events) {
            if (e.ref().matchKey().equals(matchKey) && e.actor().known()
                    && (last == null || !last.time().isAfter(e.time()))) {
                last = new ActorIndex.LastChange(e.actor(), e.action(), e.eventId(), e.time());
            }
        }
        return last;
    }

    /** A schedule delivered as an event (an EventBridge "Scheduled Event"): the one scheduled-scan entry point. */
    private EventOutcome schedule(Cloud cloud, String tick, JsonNode record, List<String> ignored) {
        ScheduledScans.Run run = schedules.run(new ScheduledScans.Tick(cloud.id(), tick,
                io.cloudwarden.model.Actor.SYSTEM), List.of(cloud));
        if (run.duplicate()) {
            return new EventOutcome(List.of(), ignored, List.of("schedule:" + tick), List.of(),
                    List.of(), List.of(), Optional.empty(), Optional.empty());
        }
        return new EventOutcome(List.of(), ignored, List.of(),
                run.scan().map(s -> s.evaluation().findings()).orElse(List.of()), List.of(),
                run.scan().map(ScanOutcome::remediation).orElse(List.of()), Optional.empty(), run.scan());
    }

    private static String eventKey(Cloud cloud, ResourceEvent e) {
        return "event:" + cloud + ":" + (e.eventId().isEmpty() ? e.ref().matchKey() + "@" + e.time() : e.eventId())
                + ":" + e.id();
    }
}
