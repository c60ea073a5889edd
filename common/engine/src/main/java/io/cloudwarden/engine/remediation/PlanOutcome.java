package io.cloudwarden.engine.remediation;

import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.ResourceRef;
import java.util.Optional;

/**
 * What the planner decided for one finding: a plan, or a reason there is none ({@code skipped}:
 * no remediation / notify only / exempt / no remediator / resource not in the snapshot / already compliant).
 */
public record PlanOutcome(String findingId, ResourceRef resource, String action, Optional<RemediationPlan> plan,
        String skipped) {
    public static PlanOutcome planned(String findingId, RemediationPlan plan) {
        return new PlanOutcome(findingId, plan.resource(), plan.action(), Optional.of(plan), "");
    }

    public static PlanOutcome skipped(String findingId, ResourceRef resource, String action, String reason) {
        return new PlanOutcome(findingId, resource, action, Optional.empty(), reason);
    }
}
