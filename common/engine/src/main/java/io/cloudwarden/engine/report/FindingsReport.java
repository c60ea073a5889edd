package io.cloudwarden.engine.report;

import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a findings report shows: when it was made, the snapshot it judged (absent for event-driven checks of single
 * resources), how many resources were evaluated, the findings, the rules used and the shards the scan could not
 * read (so a partial scan is never presented as a clean one).
 */
public record FindingsReport(
        Instant generatedAt,
        Optional<Instant> snapshotTakenAt,
        int resourcesEvaluated,
        List<Finding> findings,
        List<Rule> rules,
        List<ScanError> scanErrors) {

    public static final String SCHEMA_V1 = "cloudwarden/findings/v1";

    public FindingsReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        snapshotTakenAt = snapshotTakenAt == null ? Optional.empty() : snapshotTakenAt;
        findings = findings == null ? List.of() : List.copyOf(findings);
        rules = rules == null ? List.of() : List.copyOf(rules);
        scanErrors = scanErrors == null ? List.of() : List.copyOf(scanErrors);
    }

    /** The report of evaluating {@code rules} over {@code snapshot}. */
    public static FindingsReport of(Snapshot snapshot, Evaluation evaluation, List<Rule> rules, Instant generatedAt) {
        return new FindingsReport(generatedAt, Optional.of(snapshot.takenAt()), evaluation.resourcesEvaluated(),
                evaluation.findings(), rules, snapshot.errors());
    }

    /** True when some shards could not be read. */
    public boolean partial() {
        return !scanErrors.isEmpty();
    }
}
