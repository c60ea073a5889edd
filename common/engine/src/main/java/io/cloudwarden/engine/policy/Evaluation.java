package io.cloudwarden.engine.policy;

import io.cloudwarden.model.Finding;
import java.util.List;

/**
 * The outcome of evaluating a rule set over many resources. {@code resourcesEvaluated} counts every resource seen;
 * {@code rulesApplied} counts (rule, resource) pairs actually evaluated; {@code exemptResources} counts resources
 * that skipped at least one applicable rule because of their {@code cloudwarden:exempt} tag, and
 * {@code exemptions} the (rule, resource) pairs so skipped.
 */
public record Evaluation(List<Finding> findings, int resourcesEvaluated, int rulesApplied, int exemptResources,
        int exemptions) {
    public Evaluation {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    public long failures() {
        return findings.stream().filter(f -> f.status() == Finding.Status.FAIL).count();
    }

    public long errors() {
        return findings.stream().filter(f -> f.status() == Finding.Status.ERROR).count();
    }
}
