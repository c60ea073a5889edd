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
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event use case: parse a cloud's trigger payload, drop duplicates (every delivery path is at-least-once),
 * re-collect only the resources it names, evaluate the rules on them, record their drift with the event's actor,
 * update the latest snapshot, and emit remediation requests. A schedule tick runs a full scan of that cloud.
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
        Snapshot latest = cw.repository().latestSnapshot()
                .orElse(Snapshot.of(cw.clock().instant(), List.of(), List.of()));
        Map<String, Resource> byKey = new HashMap<>();
        latest.resources().forEach(r -> byKey.put(r.matchKey(), r));
        List<Resource> before = new ArrayList<>();
        List<Resource> after = new ArrayList<>();
        Map<String, io.cloudwarden.model.Actor> actors = new HashMap<>();
        for (ResourceEvent e : fresh) {
            String key = e.ref().matchKey();
            Optional.ofNullable(byKey.get(key)).ifPresent(before::add);
            actors.put(key, e.actor());
            Optional<Resource> now = e.deleted() ? Optional.empty()
                    : cw.pipeline().fetch(cw.session(cloud), e.ref());
            now.ifPresentOrElse(r -> {
                byKey.put(key, r);
                after.add(r);
            }, () -> byKey.remove(key));
        }
        List<Resource> updated = new ArrayList<>(byKey.values());
        updated.sort(java.util.Comparator.comparing((Resource r) -> r.cloud().id()).thenComparing(Resource::type)
                .thenComparing(Resource::id));
        Snapshot next = Snapshot.of(cw.clock().instant(), updated, latest.errors());
        cw.repository().saveSnapshot(next);

        DriftReport drift = new DriftEngine(cw.clock()).compareSnapshots(
                Snapshot.of(latest.takenAt(), before, List.of()), Snapshot.of(next.takenAt(), after, List.of()),
                IgnoreRules.none(), actors);
        List<Finding> findings = cw.policies().evaluateAll(after).findings();
        mergeFindings(fresh, findings);

        List<PlanOutcome> outcomes = List.of();
        String trigger = fresh.get(0).eventId();
        try {
            outcomes = cw.planner().plan(findings, after, trigger, fresh.get(0).actor());
        } catch (GuardrailTrippedException ex) {
            cw.audit().append(io.cloudwarden.model.Actor.SYSTEM, "remediation.guardrail", "event:" + trigger,
                    "tripped", ModelJson.mapper().createObjectNode().put("message", ex.getMessage()));
        }
        for (ResourceEvent e : fresh) {
            cw.audit().append(e.actor(), "event", e.id(), "processed", ModelJson.mapper().createObjectNode()
                    .put("cloud", cloud.id()).put("action", e.action()).put("eventId", e.eventId())
                    .put("findings", findings.stream().filter(f -> f.resource().matchKey()
                            .equals(e.ref().matchKey())).count()));
        }
        new ActorIndex(cw.repository()).record(fresh);
        Dispatch.all(sink, outcomes, trigger);
        fresh.forEach(e -> cw.repository().claimOnce(eventKey(cloud, e), ModelJson.mapper().valueToTree(e)));
        List<ResourceDrift> driftEntries = drift.drift();
        return new EventOutcome(parsed.events(), parsed.ignored(), duplicates, findings, driftEntries, outcomes,
                Optional.empty(), Optional.empty());
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

    /** Replaces the stored findings of the re-collected resources with their new findings. */
    private void mergeFindings(List<ResourceEvent> events, List<Finding> fresh) {
        Set<String> touched = new java.util.HashSet<>();
        events.forEach(e -> touched.add(e.ref().matchKey()));
        List<Finding> all = new ArrayList<>();
        cw.repository().latestFindings().map(d -> d.findings()).orElse(List.of()).stream().filter(f -> !touched.contains(f.resource().matchKey()))
                .forEach(all::add);
        all.addAll(fresh);
        cw.repository().saveFindings(all, cw.clock().instant());
    }
}
