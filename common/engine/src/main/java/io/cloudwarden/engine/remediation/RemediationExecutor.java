package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs plans through the guardrails: plan → (approval) → apply → verify on a re-read → audit. Dry run unless the
 * guardrails say otherwise; each plan key is acted on at most once (a redelivered event cannot remediate twice);
 * every step is audited with the before and after state.
 */
public final class RemediationExecutor {
    private final ProviderRegistry registry;
    private final ScanPipeline pipeline;
    private final Guardrails guardrails;
    private final PlanStore plans;
    private final IdempotencyLedger ledger;
    private final AuditSink audit;
    private final Clock clock;

    public RemediationExecutor(ProviderRegistry registry, ScanPipeline pipeline, Guardrails guardrails,
            PlanStore plans, IdempotencyLedger ledger, AuditSink audit, Clock clock) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.guardrails = guardrails;
        this.plans = plans;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    public Guardrails guardrails() {
        return guardrails;
    }

    public PlanStore plans() {
        return plans;
    }

    /**
     * Submits a plan: {@code approve} mode stores it awaiting approval; {@code auto} mode executes it now (still a
     * dry run unless configured otherwise).
     */
    public RemediationResult submit(RemediationPlan plan, Function<Cloud, ProviderSession> sessions) {
        boolean created = plans.create(new PlanRecord(plan, "awaiting-approval", null,
                java.util.List.of(new PlanRecord.Decision(plan.requestedBy(), "requested", clock.instant(), ""))));
        if (!created) {
            PlanRecord existing = plans.find(plan.id()).orElseThrow();
            return result(plan, "duplicate", "plan " + plan.id() + " already exists (" + existing.status() + ")");
        }
        audit.record(plan.requestedBy(), "remediation.plan", plan.resource().id(), "created", planDetails(plan));
        if (plan.mode() == RemediationRef.Mode.AUTO) {
            return execute(plan.id(), Actor.SYSTEM, sessions);
        }
        return result(plan, "awaiting-approval", "approval needed" + (guardrails.needsTwoPeople(plan)
                ? " from someone other than " + plan.requestedBy().label() + " (two-person rule)" : ""));
    }

    /** Approves a plan awaiting approval, enforcing expiry and the two-person rule, then executes it. */
    public RemediationResult approve(String planId, Actor approver, Function<Cloud, ProviderSession> sessions) {
        PlanRecord current = plans.find(planId).orElseThrow(() ->
                new ApprovalRefusedException("unknown-plan", "no plan with id " + planId));
        RemediationPlan plan = current.plan();
        Instant now = clock.instant();
        if (!"awaiting-approval".equals(current.status())) {
            refuse(approver, plan, "not-awaiting-approval", "plan " + planId + " is " + current.status());
        }
        if (current.expired(now)) {
            plans.update(planId, r -> r.withStatus("expired", new PlanRecord.Decision(approver, "expired", now, "")));
            refuse(approver, plan, "expired", "plan " + planId + " expired at " + plan.expiresAt());
        }
        if (guardrails.needsTwoPeople(plan) && sameActor(approver, plan.requestedBy())) {
            refuse(approver, plan, "two-person-rule", "plan " + planId + " is " + plan.risk().id()
                    + " risk: it needs an approver other than its requester " + plan.requestedBy().label());
        }
        plans.update(planId, r -> r.withStatus("approved", new PlanRecord.Decision(approver, "approved", now, "")));
        audit.record(approver, "remediation.approve", plan.resource().id(), "approved", planDetails(plan));
        return execute(planId, approver, sessions);
    }

    public PlanRecord deny(String planId, Actor actor, String note) {
        PlanRecord current = plans.find(planId).orElseThrow(() ->
                new ApprovalRefusedException("unknown-plan", "no plan with id " + planId));
        if (!"awaiting-approval".equals(current.status())) {
            refuse(actor, current.plan(), "not-awaiting-approval", "plan " + planId + " is " + current.status());
        }
        PlanRecord updated = plans.update(planId, r -> r.withStatus("denied",
                new PlanRecord.Decision(actor, "denied", clock.instant(), note)));
        audit.record(actor, "remediation.deny", current.plan().resource().id(), "denied", planDetails(current.plan()));
        return updated;
    }

    private RemediationResult execute(String planId, Actor actor, Function<Cloud, ProviderSession> sessions) {
        RemediationPlan plan = plans.find(planId).orElseThrow().plan();
        if (guardrails.dryRun()) {
            record(planId, actor, "planned", "dry run: nothing applied");
            audit.record(actor, "remediation.apply", plan.resource().id(), "dry-run", planDetails(plan));
            return result(plan, "planned", "dry run: " + plan.summary() + " (not applied; enable apply to act)");
        }
        // a change is about to be made: what was recorded before it is written first, its outcome right after
        audit.flush();
        try {
            return apply(plan, planId, actor, sessions);
        } finally {
            audit.flush();
        }
    }

    private RemediationResult apply(RemediationPlan plan, String planId, Actor actor,
            Function<Cloud, ProviderSession> sessions) {
        ObjectNode claim = ModelJson.mapper().createObjectNode().put("planId", plan.id())
                .put("at", clock.instant().toString());
        if (!ledger.claimOnce(plan.key(), claim)) {
            audit.record(actor, "remediation.apply", plan.resource().id(), "duplicate", planDetails(plan));
            return result(plan, "duplicate", "plan key already acted on; not applied again");
        }
        Remediator remediator = registry.remediator(plan.resource().cloud(), plan.action()).orElseThrow(() ->
                new IllegalStateException("no remediator " + plan.action() + " for " + plan.resource().cloud()));
        ProviderSession session = sessions.apply(plan.resource().cloud());
        try {
            remediator.apply(session, plan);
        } catch (RuntimeException e) {
            record(planId, actor, "failed", safe(e));
            audit.record(actor, "remediation.apply", plan.resource().id(), "failed",
                    planDetails(plan).put("error", safe(e)));
            return result(plan, "failed", "apply failed: " + safe(e));
        }
        Optional<Resource> reread;
        try {
            reread = pipeline.fetch(session, plan.resource());
        } catch (RuntimeException e) {
            record(planId, actor, "verify-failed", "re-read failed: " + safe(e));
            audit.record(actor, "remediation.verify", plan.resource().id(), "verify-failed",
                    planDetails(plan).put("error", safe(e)));
            return result(plan, "verify-failed", "applied, but the re-read failed: " + safe(e));
        }
        boolean ok = reread.isPresent() ? remediator.verify(reread.get(), plan) : remediator.removesResource();
        String status = ok ? "applied-verified" : "verify-failed";
        record(planId, actor, status, "");
        ObjectNode details = planDetails(plan);
        reread.ifPresent(r -> details.set("observedAfter", r.attributes()));
        audit.record(actor, "remediation.verify", plan.resource().id(), status, details);
        if (ok) {
            return result(plan, status, plan.summary());
        }
        // say what is still wrong: the planned fields the re-read does not show (none: the remediator's own check)
        List<String> differ = reread.map(r -> PlannedAfter.mismatches(plan.after(), r.attributes()))
                .orElse(List.of());
        return result(plan, status, "the re-read resource does not show the planned change" + (differ.isEmpty()
                ? reread.isPresent() ? " (the remediator's own check failed)" : " (the resource is gone)"
                : ": " + String.join("; ", differ)));
    }

    private void record(String planId, Actor actor, String status, String note) {
        plans.update(planId, r -> r.withStatus(status, new PlanRecord.Decision(actor, status, clock.instant(), note)));
    }

    private void refuse(Actor actor, RemediationPlan plan, String reason, String message) {
        audit.record(actor, "remediation.approve", plan.resource().id(), "refused:" + reason, planDetails(plan));
        throw new ApprovalRefusedException(reason, message);
    }

    private static boolean sameActor(Actor a, Actor b) {
        return a.kind().equals(b.kind()) && a.id().equals(b.id()) && a.via().equals(b.via());
    }

    private ObjectNode planDetails(RemediationPlan plan) {
        ObjectNode n = ModelJson.mapper().createObjectNode();
        n.put("planId", plan.id()).put("action", plan.action()).put("risk", plan.risk().id())
                .put("mode", plan.mode().id()).put("findingId", plan.findingId())
                .put("dryRun", guardrails.dryRun());
        n.set("before", plan.before());
        n.set("after", plan.after());
        return n;
    }

    private RemediationResult result(RemediationPlan plan, String status, String message) {
        return new RemediationResult(plan.id(), plan.key(), plan.action(), plan.resource(), status, message,
                guardrails.dryRun(), clock.instant());
    }

    private static String safe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** JSON helper for callers that want a plan's audit details. */
    public static JsonNode describe(RemediationPlan plan) {
        return ModelJson.mapper().valueToTree(plan);
    }
}
