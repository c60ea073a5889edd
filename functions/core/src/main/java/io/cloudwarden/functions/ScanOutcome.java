package io.cloudwarden.functions;

import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Snapshot;
import java.util.List;
import java.util.Optional;

/**
 * What a scan found: the snapshot (saved as the latest), the policy evaluation, the drift since the previous
 * snapshot (empty on the first scan), the remediation outcomes (requests emitted or reasons none were), and the
 * guardrail message when the blast-radius breaker stopped the run's remediation.
 */
public record ScanOutcome(Snapshot snapshot, Evaluation evaluation, Optional<DriftReport> sincePrevious,
        List<PlanOutcome> remediation, Optional<String> guardrailTripped) {
    public ScanOutcome {
        remediation = List.copyOf(remediation);
    }
}
