package io.cloudwarden.functions;

import java.util.List;

/**
 * Some remediation requests of a run could not be handed to the sink (a queue send failed, an in-process re-read
 * failed). Thrown after every other request was sent and the run's state was saved, and before the triggering
 * event or tick is marked handled — so the trigger's retry redoes the run, and the plan keys keep remediation
 * exactly-once.
 */
public class RemediationDispatchException extends RuntimeException {
    private final List<String> failures;

    public RemediationDispatchException(List<String> failures) {
        super(failures.size() + " remediation request(s) could not be dispatched: " + String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    public List<String> failures() {
        return failures;
    }
}
