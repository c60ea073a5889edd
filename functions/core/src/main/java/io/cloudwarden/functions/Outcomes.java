package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.scan.ScanRun;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.RunStatus;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON rendering of what the use cases did, returned by every binding (a Lambda result, an Azure custom
 * handler's {@code ReturnValue}, a Cloud Run or {@code serve} response body), so the same field means the same
 * thing everywhere: a repeated delivery is {@code duplicate(s)}, the principal behind a change is {@code actor}.
 * Carries counts, ids and findings, never credentials or raw native payloads.
 */
public final class Outcomes {
    private Outcomes() {
    }

    /**
     * A scan: {@code takenAt, resources, partial, errors[], findings, findingsBySeverity, drifted (when there was a
     * previous snapshot), remediation[], remediationRequests, guardrailTripped (when tripped)}.
     */
    public static ObjectNode scan(ScanOutcome s) {
        return scan(ModelJson.mapper().createObjectNode(), s);
    }

    private static ObjectNode scan(ObjectNode out, ScanOutcome s) {
        out.put("takenAt", s.snapshot().takenAt().toString());
        out.put("resources", s.snapshot().resources().size());
        out.put("partial", s.snapshot().partial());
        // The unread scopes and their native error codes; the full messages (which may name SDK exception types) stay
        // in the snapshot and the function log, out of what an HTTP caller is answered.
        var errors = out.putArray("errors");
        for (io.cloudwarden.model.ScanError e : s.snapshot().errors()) {
            errors.addObject().put("cloud", e.cloud().id()).put("account", e.account()).put("region", e.region())
                    .put("type", e.type()).put("code", e.code());
        }
        out.put("findings", s.evaluation().findings().size());
        ObjectNode severities = out.putObject("findingsBySeverity");
        s.evaluation().findings().forEach(f -> severities.put(f.severity().id(),
                severities.path(f.severity().id()).asInt(0) + 1));
        s.sincePrevious().ifPresent(d -> out.put("drifted", d.drift().size()));
        out.set("remediation", remediation(s.remediation()));
        out.put("remediationRequests", requests(s.remediation()));
        s.guardrailTripped().ifPresent(m -> out.put("guardrailTripped", m));
        return out;
    }

    /**
     * A schedule tick: {@code job, tick, duplicate}; then the scan's fields (above) when it scanned, or
     * {@code planned: {run, shards, deadline}} and {@code merged[]} (earlier runs this tick merged) when it fanned
     * out. A duplicate tick carries only the first three.
     */
    public static ObjectNode schedule(ScheduledScans.Run run) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("job", run.tick().job());
        out.put("tick", run.tick().slot());
        out.put("duplicate", run.duplicate());
        run.scan().ifPresent(s -> scan(out, s));
        run.planned().ifPresent(p -> out.set("planned", planned(p)));
        if (run.planned().isPresent()) {
            ArrayNode merged = out.putArray("merged");
            run.merged().forEach(m -> merged.add(scan(m)));
        }
        return out;
    }

    private static ObjectNode planned(ScanRun run) {
        ObjectNode n = ModelJson.mapper().createObjectNode();
        n.put("run", run.id());
        n.put("shards", run.shards().size());
        n.put("deadline", run.deadline().toString());
        n.set("errors", ModelJson.mapper().valueToTree(run.planErrors()));
        return n;
    }

    /**
     * An event: {@code events[], ignored[], duplicates[], findings[]} (each with the {@code actor} of the event that
     * changed its resource, when the event named one), {@code drift[], remediation[], remediationRequests}, and
     * {@code scan} when the event was a schedule.
     */
    public static ObjectNode event(EventOutcome o) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.set("events", ModelJson.mapper().valueToTree(o.events()));
        out.set("ignored", ModelJson.mapper().valueToTree(o.ignored()));
        out.set("duplicates", ModelJson.mapper().valueToTree(o.duplicates()));
        Map<String, Actor> actors = new HashMap<>();
        for (ResourceEvent e : o.events()) {
            actors.put(e.ref().matchKey(), e.actor());
        }
        ArrayNode findings = out.putArray("findings");
        for (Finding f : o.findings()) {
            ObjectNode n = ModelJson.mapper().valueToTree(f);
            Actor actor = actors.get(f.resource().matchKey());
            if (actor != null) {
                n.set("actor", ModelJson.mapper().valueToTree(actor));
            }
            findings.add(n);
        }
        out.set("drift", ModelJson.mapper().valueToTree(o.drift()));
        out.set("remediation", remediation(o.remediation()));
        out.put("remediationRequests", requests(o.remediation()));
        o.scheduledScan().ifPresent(s -> out.set("scan", scan(s)));
        return out;
    }

    /** Fanned-out runs: {@code runs[]} of {@code {run, trigger, createdAt, deadline, shards, collected, state, detail}}. */
    public static ObjectNode status(List<RunStatus> runs) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.set("runs", ModelJson.mapper().valueToTree(runs));
        out.put("overdue", runs.stream().filter(r -> RunStatus.OVERDUE.equals(r.state())).count());
        return out;
    }

    /** One queue message of a fanned-out run: {@code run, shard, duplicate, failed, resources, merged?}. */
    public static ObjectNode collected(FanOut.Collected c) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("run", c.run());
        out.put("shard", c.shard().toString());
        out.put("duplicate", c.duplicate());
        out.put("failed", c.failed());
        out.put("resources", c.resources());
        c.merged().ifPresent(m -> out.set("merged", scan(m)));
        return out;
    }

    /**
     * The lines a binding logs for an event delivery: one per event ({@code action on id by actor}), per ignored item
     * and per duplicate, then the totals.
     */
    public static List<String> eventLog(EventOutcome o) {
        List<String> logs = new ArrayList<>();
        o.events().forEach(e -> logs.add(e.action() + " on " + e.id() + " by " + e.actor().label()));
        o.ignored().forEach(i -> logs.add("ignored: " + i));
        o.duplicates().forEach(d -> logs.add("duplicate delivery skipped: " + d));
        logs.add(o.findings().size() + " findings, " + requests(o.remediation()) + " remediation requests");
        return logs;
    }

    /**
     * The lines a binding logs for a schedule tick of {@code cloud}: skipped (a repeated tick), the planned fan-out,
     * or the scan's totals; then each unread scope.
     */
    public static List<String> scheduleLog(ScheduledScans.Run run, String cloud) {
        List<String> logs = new ArrayList<>();
        String tick = run.tick().slot();
        ObjectNode summary = schedule(run);
        logs.add(run.duplicate() ? "tick " + tick + " already ran: skipped" : run.planned().isPresent()
                ? "planned run " + run.planned().get().id() + ": " + run.planned().get().shards().size()
                + " shards queued" : "scanned " + cloud + ": " + summary.path("resources") + " resources, "
                + summary.path("findings") + " findings, " + summary.path("remediationRequests")
                + " remediation requests");
        summary.path("errors").forEach(e -> logs.add("unread: " + e.path("account").asText() + " "
                + e.path("type").asText() + " " + e.path("region").asText() + ": " + e.path("code").asText()));
        return logs;
    }

    public static long requests(List<PlanOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.plan().isPresent()).count();
    }

    private static ArrayNode remediation(List<PlanOutcome> outcomes) {
        ArrayNode arr = ModelJson.mapper().createArrayNode();
        for (PlanOutcome p : outcomes) {
            ObjectNode n = arr.addObject();
            n.put("findingId", p.findingId());
            n.put("action", p.action());
            n.put("resource", p.resource().id());
            p.plan().ifPresentOrElse(plan -> n.put("planId", plan.id()).put("mode", plan.mode().id())
                    .put("summary", plan.summary()), () -> n.put("skipped", p.skipped()));
        }
        return arr;
    }
}
