package io.cloudwarden.functions;

import io.cloudwarden.engine.remediation.rollout.Rollout;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord;
import io.cloudwarden.engine.remediation.rollout.RolloutStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout use case: the approved plans of one action over several resources are applied in verified waves
 * ({@link Rollout}); each resource goes through {@link RemediationService} (re-read, re-plan, guardrails, apply,
 * verify, audit). The rollout id is derived from the action and the plans' keys, so running the same fix again (the
 * CLI re-run, a chat approval retried) resumes the stored rollout instead of starting over. A resource's second
 * attempt after a halt is a new plan key ({@code <key>#attempt-N}): the idempotency ledger already holds the first.
 */
public final class Rollouts {
    private final Cloudwarden cw;

    public Rollouts(Cloudwarden cw) {
        this.cw = cw;
    }

    /** The rollout id of {@code plans} of {@code action}: stable for the same set of plan keys. */
    public static String idOf(String action, List<RemediationPlan> plans) {
        StringBuilder sb = new StringBuilder(action);
        plans.stream().map(RemediationPlan::key).sorted().forEach(k -> sb.append('\n').append(k));
        return "rollout-" + Hashing.sha256Hex(sb.toString()).substring(0, 20);
    }

    /** Groups plans by action, keeping their order; an action with one plan is not a rollout. */
    public static Map<String, List<RemediationPlan>> byAction(List<RemediationPlan> plans) {
        Map<String, List<RemediationPlan>> out = new LinkedHashMap<>();
        plans.forEach(p -> out.computeIfAbsent(p.action(), k -> new ArrayList<>()).add(p));
        return out;
    }

    /**
     * Rolls {@code plans} (all of one action) out in waves as {@code actor}; {@code resources} give each resource's
     * tags (maintenance windows). Plans are ordered by resource id so a rerun cuts the same waves.
     */
    public RolloutRecord run(String action, List<RemediationPlan> plans, List<Resource> resources, String trigger,
            Actor actor, Rollout.Listener listener) {
        List<Rollout.Target> targets = targets(plans, resources);
        RemediationService service = new RemediationService(cw);
        Rollout.Step step = (plan, attempt) -> service.handle(new RemediationRequest(auto(plan, attempt), trigger));
        Rollout rollout = rollout();
        return rollout.run(idOf(action, plans), action, targets, step, actor, listener);
    }

    /**
     * Rolls out plans awaiting approval that {@code approver} approved as a whole (chat {@code approve rollout-…}):
     * each plan's first attempt is the executor's approval of the stored plan, when its wave comes (expiry, the
     * two-person rule and the decision's audit record per plan, then apply and verify); a refusal there fails that
     * resource and halts the rollout. A resource tried again after a halt is re-planned on a fresh read, as
     * {@link #run} does. {@code id} is {@link #idOf} of the plans, or a stored rollout to resume.
     */
    public RolloutRecord runApproved(String id, String action, List<RemediationPlan> plans, List<Resource> resources,
            String trigger, Actor approver, Rollout.Listener listener) {
        RemediationService service = new RemediationService(cw);
        Rollout.Step step = (plan, attempt) -> {
            boolean awaiting = cw.executor().plans().find(plan.id())
                    .map(r -> "awaiting-approval".equals(r.status())).orElse(false);
            if (attempt == 1 && awaiting) {
                try {
                    return cw.executor().approve(plan.id(), approver, cw::session);
                } catch (io.cloudwarden.engine.remediation.ApprovalRefusedException e) {
                    return new io.cloudwarden.model.RemediationResult(plan.id(), plan.key(), plan.action(),
                            plan.resource(), "refused:" + e.reason(), e.getMessage(),
                            cw.executor().guardrails().dryRun(), cw.clock().instant());
                }
            }
            return service.handle(new RemediationRequest(auto(plan, attempt), trigger));
        };
        return rollout().run(id, action, targets(plans, resources), step, approver, listener);
    }

    /** The stored rollout {@code id}, if one was started. */
    public Optional<RolloutRecord> stored(String id) {
        return new RolloutStore(cw.store()).find(id).map(RolloutStore.Versioned::record);
    }

    /** The waves {@code plans} would be cut into (dry run: nothing stored, nothing applied). */
    public List<RolloutRecord.Wave> preview(List<RemediationPlan> plans, List<Resource> resources) {
        return rollout().waves(targets(plans, resources));
    }

    private List<Rollout.Target> targets(List<RemediationPlan> plans, List<Resource> resources) {
        Map<String, Resource> byKey = new java.util.HashMap<>();
        resources.forEach(r -> byKey.put(r.matchKey(), r));
        return plans.stream()
                .sorted(Comparator.comparing((RemediationPlan p) -> p.resource().id()))
                .map(p -> new Rollout.Target(p, Optional.ofNullable(byKey.get(p.resource().matchKey()))
                        .map(Resource::tags).orElse(Map.of())))
                .toList();
    }

    private Rollout rollout() {
        return new Rollout(cw.config().rollout(), cw.executor().guardrails(), new RolloutStore(cw.store()),
                (a, act, subject, outcome, details) -> cw.audit().append(a, act, subject, outcome, details),
                cw.clock(), d -> Thread.sleep(d.toMillis()));
    }

    private static RemediationPlan auto(RemediationPlan p, int attempt) {
        String id = attempt == 1 ? p.id() : p.id() + "-attempt-" + attempt;
        String key = attempt == 1 ? p.key() : p.key() + "#attempt-" + attempt;
        return new RemediationPlan(id.length() > 80 ? id.substring(0, 80) : id, key, p.action(), p.risk(),
                RemediationRef.Mode.AUTO, p.resource(), p.findingId(), p.summary(), p.before(), p.after(), p.params(),
                p.requestedBy(), p.createdAt(), p.expiresAt());
    }
}
