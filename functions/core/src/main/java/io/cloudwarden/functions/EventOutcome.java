package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceEvent;
import java.util.List;
import java.util.Optional;

/**
 * What handling one trigger payload did: the parsed events, what was ignored and why, duplicates skipped, the
 * findings on the re-collected resources, their drift against the last snapshot (with the event's actor), the
 * remediation outcomes, a reply owed to the sender (Event Grid handshake), and the scan a schedule ran.
 */
public record EventOutcome(
        List<ResourceEvent> events,
        List<String> ignored,
        List<String> duplicates,
        List<Finding> findings,
        List<ResourceDrift> drift,
        List<PlanOutcome> remediation,
        Optional<JsonNode> reply,
        Optional<ScanOutcome> scheduledScan) {
    public EventOutcome {
        events = List.copyOf(events);
        ignored = List.copyOf(ignored);
        duplicates = List.copyOf(duplicates);
        findings = List.copyOf(findings);
        drift = List.copyOf(drift);
        remediation = List.copyOf(remediation);
    }
}
