package io.cloudwarden.engine.remediation;

/** A guardrail stopped a whole remediation run (blast-radius breaker) — nothing of the run was applied. */
public class GuardrailTrippedException extends RuntimeException {
    private final String guardrail;

    public GuardrailTrippedException(String guardrail, String message) {
        super(guardrail + ": " + message);
        this.guardrail = guardrail;
    }

    public String guardrail() {
        return guardrail;
    }
}
