package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns failing findings into remediation plans (pure: no cloud call). Plans are keyed by finding + action +
 * triggering event, so the same finding raised by the same event always yields the same plan id.
 * The blast-radius breaker runs here, before anything is applied: a run whose plans exceed
 * {@link Guardrails#maxChangesPerRun()} or {@link Guardrails#maxFractionOfType()} throws
 * {@link GuardrailTrippedException} and produces no plan at all.
 */
public final class RemediationPlanner {
    private final ProviderRegistry registry;
    private final Guardrails guardrails;
    private final Clock clock;

    public RemediationPlanner(ProviderRegistry registry, Guardrails guardrails, Clock clock) {
        this.registry = registry;
        this.guardrails = guardrails;
        this.clock = clock;
    }

    /**
     * @param findings findings of one evaluation (FAIL findings with a remediation are planned)
     * @param resources the resources those findings were computed on (by match key)
     * @param trigger id of what triggered the run (event id, schedule tick, chat request); part of the plan key
     */
    public List<PlanOutcome> plan(List<Finding> findings, List<Resource> resources, String trigger, Actor requester) {
        Map<String, Resource> byKey = new HashMap<>();
        Map<String, Integer> typeCounts = new HashMap<>();
        for (Resource r : resources) {
            byKey.put(r.matchKey(), r);
            typeCounts.merge(r.cloud() + "|" + r.type(), 1, Integer::sum);
        }
        Instant now = clock.instant();
        List<PlanOutcome> out = new ArrayList<>();
        Map<String, Integer> plannedPerType = new HashMap<>();
        Map<String, String> planFor = new HashMap<>(); // resource match key | action -> plan id
        int planned = 0;
        for (Finding f : findings) {
            if (f.status() != Finding.Status.FAIL || f.remediation().isEmpty()) {
                continue;
            }
            RemediationRef ref = f.remediation().get();
            if (ref.mode() == RemediationRef.Mode.NOTIFY) {
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(), "notify only"));
                continue;
            }
            Resource resource = byKey.get(f.resource().matchKey());
            if (resource == null) {
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(), "resource not in the snapshot"));
                continue;
            }
            String exempt = resource.tags().get(guardrails.exemptTag());
            if (exempt != null && ("true".equalsIgnoreCase(exempt) || exempt.equals(f.ruleId())
                    || exempt.equals(ref.action()))) {
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(),
                        "exempt by tag " + guardrails.exemptTag() + "=" + exempt));
                continue;
            }
            Optional<Remediator> remediator = registry.remediator(resource.cloud(), ref.action());
            if (remediator.isEmpty() || !appliesTo(remediator.get(), resource)) {
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(),
                        "no remediator " + ref.action() + " for " + resource.cloud() + " " + resource.type()));
                continue;
            }
            String pair = resource.matchKey() + "|" + ref.action();
            if (planFor.containsKey(pair)) {
                // Several rules (SSH, databases, all ports…) can ask for the same fix of the same resource: one plan.
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(), "covered by plan "
                        + planFor.get(pair)));
                continue;
            }
            Optional<PlannedChange> change = remediator.get().plan(resource);
            if (change.isEmpty()) {
                out.add(PlanOutcome.skipped(f.id(), f.resource(), ref.action(), "already compliant"));
                continue;
            }
            String key = Hashing.sha256Hex(f.id() + "|" + ref.action() + "|" + trigger);
            PlannedChange c = change.get();
            RemediationPlan plan = new RemediationPlan("p-" + key.substring(0, 16), key, ref.action(),
                    remediator.get().risk(), ref.mode(), resource.ref(), f.id(), c.summary(), c.before(), c.after(),
                    withResourceContext(c, resource), requester, now, now.plus(guardrails.planTtl()));
            out.add(PlanOutcome.planned(f.id(), plan));
            planFor.put(pair, plan.id());
            planned++;
            plannedPerType.merge(resource.cloud() + "|" + resource.type(), 1, Integer::sum);
        }
        checkBlastRadius(planned, plannedPerType, typeCounts);
        return out;
    }

    private static boolean appliesTo(Remediator r, Resource resource) {
        return "*".equals(r.appliesTo()) || r.appliesTo().equals(resource.type());
    }

    private static ObjectNode withResourceContext(PlannedChange c, Resource resource) {
        ObjectNode params = c.params().isObject() ? ((ObjectNode) c.params()).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("value", c.params());
        params.put("resourceName", resource.name());
        return params;
    }

    private void checkBlastRadius(int planned, Map<String, Integer> plannedPerType, Map<String, Integer> typeCounts) {
        if (planned > guardrails.maxChangesPerRun()) {
            throw new GuardrailTrippedException("blast-radius", "this run would change " + planned
                    + " resources, more than the limit of " + guardrails.maxChangesPerRun()
                    + " (maxChangesPerRun); nothing was planned or applied — check the rule, then raise the limit");
        }
        for (Map.Entry<String, Integer> e : plannedPerType.entrySet()) {
            int total = typeCounts.getOrDefault(e.getKey(), 0);
            if (total > guardrails.fractionFloor() && e.getValue() > guardrails.maxFractionOfType() * total) {
                throw new GuardrailTrippedException("blast-radius", "this run would change " + e.getValue() + " of "
                        + total + " resources of " + e.getKey().replace('|', ' ') + ", more than "
                        + Math.round(guardrails.maxFractionOfType() * 100) + "% (maxFractionOfType); nothing was"
                        + " planned or applied");
            }
        }
    }
}
