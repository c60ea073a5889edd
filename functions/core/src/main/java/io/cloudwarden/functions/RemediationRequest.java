package io.cloudwarden.functions;

import io.cloudwarden.model.RemediationPlan;

/**
 * A request to remediate, emitted by detection onto the work queue as a CloudEvent of type
 * {@value #TYPE} and consumed by the remediate function. Carries the plan detection computed (pure) and the
 * trigger that raised it; the consumer re-reads the resource and re-plans before acting.
 */
public record RemediationRequest(RemediationPlan plan, String trigger) {
    public static final String TYPE = "io.cloudwarden.remediation.requested.v1";
}
