package io.cloudwarden.functions;

import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Optional;

/**
 * The remediate use case: consumes remediation requests (queue messages, in-process requests) and chat/CLI requests
 * to fix a finding. Before acting it re-reads the resource and re-plans, so a resource fixed meanwhile is reported
 * {@code already-compliant}; then the executor applies the guardrails (dry run, approval, two-person rule,
 * idempotency) and verifies.
 */
public final class RemediationService implements RemediationSink {
    private final Cloudwarden cw;

    public RemediationService(Cloudwarden cw) {
        this.cw = cw;
    }

    @Override
    public void submit(RemediationRequest request) {
        handle(request);
    }

    @Override
    public void submit(RemediationRequest request, Optional<Resource> observed) {
        handle(request, observed);
    }

    public RemediationResult handle(RemediationRequest request) {
        return handle(request, Optional.empty());
    }

    /**
     * Handles a request; {@code observed} is the resource as detection just read it in this process. It replaces the
     * re-read only when nothing is applied now (dry run, or a plan that waits for approval: it is planned from the
     * read detection made moments before, exactly as from a second read); a plan about to be applied always re-reads
     * first.
     */
    public RemediationResult handle(RemediationRequest request, Optional<Resource> observed) {
        Span span = cw.telemetry().start(Telemetry.APPLY, Attributes.of(Telemetry.PLAN_ID, request.plan().id(),
                Telemetry.ACTION, request.plan().action()));
        try (Scope ignored = span.makeCurrent()) {
            RemediationResult result = handleInSpan(request, observed);
            span.setAttribute(Telemetry.OUTCOME, result.status());
            return result;
        } catch (RuntimeException e) {
            Telemetry.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private RemediationResult handleInSpan(RemediationRequest request, Optional<Resource> observed) {
        RemediationPlan plan = request.plan();
        Remediator remediator = cw.registry().remediator(plan.resource().cloud(), plan.action())
                .orElseThrow(() -> new IllegalArgumentException("plan.action: no remediator " + plan.action()
                        + " registered for " + plan.resource().cloud()));
        boolean appliesNow = plan.mode() == io.cloudwarden.model.RemediationRef.Mode.AUTO
                && !cw.executor().guardrails().dryRun();
        if (appliesNow) {
            // a change will be made: what the event wrote so far is made durable, and the file store's lock is not
            // held by the event's write group over the re-read (StateStore.sync)
            cw.store().sync();
        }
        Optional<Resource> current = observed.isPresent() && !appliesNow
                && observed.get().matchKey().equals(plan.resource().matchKey()) ? observed
                : cw.pipeline().fetch(cw.session(plan.resource().cloud()), plan.resource());
        if (current.isEmpty()) {
            return result(plan, "skipped", "the resource no longer exists");
        }
        Optional<PlannedChange> change = remediator.plan(current.get());
        if (change.isEmpty()) {
            return result(plan, "already-compliant", "nothing to do: the resource already complies");
        }
        RemediationPlan fresh = new RemediationPlan(plan.id(), plan.key(), plan.action(), plan.risk(), plan.mode(),
                plan.resource(), plan.findingId(), change.get().summary(), change.get().before(),
                change.get().after(), plan.params().isEmpty() ? change.get().params() : plan.params(),
                plan.requestedBy(), plan.createdAt(), plan.expiresAt());
        return cw.executor().submit(fresh, cw::session);
    }

    /**
     * Plans a fix for a finding of the latest evaluation at a person's request (chat, CLI). The plan always waits
     * for approval, whatever the rule's mode. Empty when the finding is unknown.
     */
    public Optional<PlanOutcome> planForFinding(String findingId, Actor requester, String trigger) {
        Optional<Finding> finding = cw.repository().latestFindings().map(d -> d.findings()).orElse(List.of()).stream()
                .filter(f -> f.id().equals(findingId)).findFirst();
        if (finding.isEmpty()) {
            return Optional.empty();
        }
        Finding f = finding.get();
        if (f.remediation().isEmpty()) {
            return Optional.of(PlanOutcome.skipped(f.id(), f.resource(), "", "rule " + f.ruleId()
                    + " names no remediation"));
        }
        Finding asApproval = new Finding(f.id(), f.ruleId(), f.title(), f.severity(), f.status(), f.resource(),
                f.message(), f.controls(), Optional.of(new RemediationRef(f.remediation().get().action(),
                        RemediationRef.Mode.APPROVE)), f.observedAt());
        List<Resource> resources = cw.repository().latestSnapshot().map(s -> s.resources()).orElse(List.of());
        List<PlanOutcome> outcomes = cw.planner().plan(List.of(asApproval), resources, trigger, requester);
        return outcomes.stream().findFirst();
    }

    private RemediationResult result(RemediationPlan plan, String status, String message) {
        return new RemediationResult(plan.id(), plan.key(), plan.action(), plan.resource(), status, message,
                cw.executor().guardrails().dryRun(), cw.clock().instant());
    }
}
