package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The JSON results the handlers return (what a Lambda invocation log or a test sees). Never carries secrets. */
final class Summaries {
    private Summaries() {
    }

    /**
     * {@code {"job","scheduledTime","duplicate", ...scan}}: the scan's counts, or only the first three fields when
     * the slot had already run.
     */
    static ObjectNode schedule(ScheduledScans.Run run) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("job", run.tick().job());
        out.put("scheduledTime", run.tick().scheduledTime().toString());
        out.put("duplicate", run.duplicate());
        run.scan().ifPresent(s -> scan(out, s));
        return out;
    }

    static ObjectNode scan(ObjectNode out, ScanOutcome s) {
        out.put("takenAt", s.snapshot().takenAt().toString());
        out.put("resources", s.snapshot().resources().size());
        out.put("partial", s.snapshot().partial());
        out.set("errors", ModelJson.mapper().valueToTree(s.snapshot().errors()));
        out.put("findings", s.evaluation().findings().size());
        ObjectNode severities = out.putObject("findingsBySeverity");
        s.evaluation().findings().forEach(f -> severities.put(f.severity().id(),
                severities.path(f.severity().id()).asInt(0) + 1));
        s.sincePrevious().ifPresent(d -> out.put("drifted", d.drift().size()));
        out.set("remediation", remediation(s.remediation()));
        out.put("remediationRequests", s.remediation().stream().filter(o -> o.plan().isPresent()).count());
        s.guardrailTripped().ifPresent(m -> out.put("guardrailTripped", m));
        return out;
    }

    /**
     * The event path's result. Each finding names the actor of the event that changed its resource (from
     * CloudTrail's {@code userIdentity}), so a finding reads "who opened this".
     */
    static ObjectNode event(EventOutcome o) {
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
        out.put("remediationRequests", o.remediation().stream().filter(p -> p.plan().isPresent()).count());
        o.scheduledScan().ifPresent(s -> scan(out.putObject("scan"), s));
        return out;
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
