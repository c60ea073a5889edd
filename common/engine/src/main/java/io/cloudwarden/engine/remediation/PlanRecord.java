package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.RemediationPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored plan and where it stands. Status: {@code awaiting-approval}, {@code approved}, {@code denied},
 * {@code expired}, {@code applied-verified}, {@code verify-failed}, {@code failed}, {@code planned} (dry run).
 */
@JsonPropertyOrder({"plan", "status", "approvals", "history"})
public record PlanRecord(RemediationPlan plan, String status, List<Decision> approvals, List<Decision> history) {

    /** One decision on a plan: who, what ({@code requested}, {@code approved}, {@code denied}, …), when, why. */
    public record Decision(Actor actor, String decision, Instant at, String note) {
        public Decision {
            note = note == null ? "" : note;
        }
    }

    public PlanRecord {
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        history = history == null ? List.of() : List.copyOf(history);
    }

    public PlanRecord withStatus(String newStatus, Decision decision) {
        List<Decision> h = new ArrayList<>(history);
        h.add(decision);
        List<Decision> a = new ArrayList<>(approvals);
        if ("approved".equals(decision.decision())) {
            a.add(decision);
        }
        return new PlanRecord(plan, newStatus, a, h);
    }

    public boolean expired(Instant now) {
        return plan.expiresAt() != null && now.isAfter(plan.expiresAt());
    }
}
