package io.cloudwarden.engine.remediation;

/** An approval or denial that is not allowed: expired plan, plan not awaiting approval, or the two-person rule. */
public class ApprovalRefusedException extends RuntimeException {
    private final String reason;

    public ApprovalRefusedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Machine-readable reason: {@code two-person-rule}, {@code expired}, {@code not-awaiting-approval}. */
    public String reason() {
        return reason;
    }
}
