package io.cloudwarden.engine.remediation;

import io.cloudwarden.model.RemediationPlan;
import java.time.Duration;
import java.util.Set;

/**
 * Safety settings for remediation. Defaults are the safe ones: dry run, at most 10 changes per run, at most 25 % of
 * the resources of one type once that type has more than 4 resources, exemption tag {@code cloudwarden:exempt},
 * two-person approval for HIGH-risk actions, plans valid for 24 hours.
 *
 * @param dryRun when true nothing is applied; plans are reported as {@code planned}
 * @param maxChangesPerRun blast-radius breaker: a run that would change more resources stops before applying any
 * @param maxFractionOfType blast-radius breaker per type (0..1), applied when the type has more than
 *        {@code fractionFloor} resources (so a small estate is not blocked by percentages)
 * @param twoPersonRisk plans at or above this risk need an approver other than the requester
 * @param twoPersonActions action ids that need two people whatever their risk
 */
public record Guardrails(
        boolean dryRun,
        int maxChangesPerRun,
        double maxFractionOfType,
        int fractionFloor,
        String exemptTag,
        RemediationPlan.Risk twoPersonRisk,
        Set<String> twoPersonActions,
        Duration planTtl) {

    public static final String EXEMPT_TAG = "cloudwarden:exempt";

    public Guardrails {
        if (maxChangesPerRun < 0) {
            throw new IllegalArgumentException("maxChangesPerRun: expected >= 0 but was " + maxChangesPerRun);
        }
        if (maxFractionOfType < 0 || maxFractionOfType > 1) {
            throw new IllegalArgumentException("maxFractionOfType: expected 0..1 but was " + maxFractionOfType);
        }
        exemptTag = exemptTag == null || exemptTag.isBlank() ? EXEMPT_TAG : exemptTag;
        twoPersonRisk = twoPersonRisk == null ? RemediationPlan.Risk.HIGH : twoPersonRisk;
        twoPersonActions = twoPersonActions == null ? Set.of() : Set.copyOf(twoPersonActions);
        planTtl = planTtl == null ? Duration.ofHours(24) : planTtl;
    }

    public static Guardrails defaults() {
        return new Guardrails(true, 10, 0.25, 4, EXEMPT_TAG, RemediationPlan.Risk.HIGH, Set.of(),
                Duration.ofHours(24));
    }

    public Guardrails withDryRun(boolean value) {
        return new Guardrails(value, maxChangesPerRun, maxFractionOfType, fractionFloor, exemptTag, twoPersonRisk,
                twoPersonActions, planTtl);
    }

    public Guardrails withMaxChangesPerRun(int value) {
        return new Guardrails(dryRun, value, maxFractionOfType, fractionFloor, exemptTag, twoPersonRisk,
                twoPersonActions, planTtl);
    }

    public boolean needsTwoPeople(RemediationPlan plan) {
        return plan.risk().ordinal() >= twoPersonRisk.ordinal() || twoPersonActions.contains(plan.action());
    }
}
