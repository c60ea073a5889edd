package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.functions.ScheduledScan;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code timer} function (timerTrigger, NCRONTAB {@code %CLOUDWARDEN_SCHEDULE%}): a full scan of Azure per tick.
 * Data {@code timer} = {@code {"Schedule": {...}, "ScheduleStatus": {"Last", "Next", "LastUpdated"}, "IsPastDue"}}.
 *
 * <p>The tick's identity is its {@code ScheduleStatus} Last/Next pair (identical when the host fires the same
 * occurrence twice), so a duplicated tick is skipped. Without a schedule monitor ({@code useMonitor: false}) there
 * is no ScheduleStatus and the invocation minute ({@code sys.UtcNow}) is used. A past-due tick (the host was down
 * at the scheduled time) still scans: it is the catch-up. The timer trigger never retries, so a partial scan still
 * answers 200 and lists the unread scopes in the logs; the next tick is the retry.
 */
@Path("/timer")
public class TimerFunction {
    static final String BINDING = "timer";

    @Inject
    ScheduledScan schedule;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response invoke(byte[] body) {
        JsonNode timer;
        String tick;
        try {
            Invocation inv = Invocation.parse(body);
            timer = inv.json(BINDING);
            tick = tickKey(timer, inv);
        } catch (InvalidInvocationException e) {
            return InvocationResult.failed(400, List.of(e.getMessage()));
        }
        boolean pastDue = timer.path("IsPastDue").asBoolean(false);
        List<String> logs = new ArrayList<>();
        if (pastDue) {
            logs.add("tick " + tick + " is past due: running the catch-up scan");
        }
        Optional<ScanOutcome> outcome = schedule.runOnce("azure-timer:" + tick, List.of(Cloud.AZURE), timer);
        ObjectNode summary = ModelJson.mapper().createObjectNode();
        summary.put("tick", tick);
        summary.put("pastDue", pastDue);
        if (outcome.isEmpty()) {
            logs.add("tick " + tick + " already ran: skipped");
            summary.put("skipped", true);
            return InvocationResult.ok(logs, summary);
        }
        ScanOutcome scan = outcome.get();
        summary.put("skipped", false);
        summary.put("resources", scan.snapshot().resources().size());
        summary.put("findings", scan.evaluation().findings().size());
        summary.put("errors", scan.snapshot().errors().size());
        summary.put("remediationRequests", scan.remediation().stream().filter(o -> o.plan().isPresent()).count());
        scan.guardrailTripped().ifPresent(m -> summary.put("guardrailTripped", m));
        logs.add("scanned azure: " + scan.snapshot().resources().size() + " resources, "
                + scan.evaluation().findings().size() + " findings, " + summary.get("remediationRequests")
                + " remediation requests");
        scan.snapshot().errors().forEach(e -> logs.add("unread: " + e.account() + " " + e.type() + " "
                + e.region() + ": " + e.code()));
        return InvocationResult.ok(logs, summary);
    }

    static String tickKey(JsonNode timer, Invocation inv) {
        JsonNode status = timer.path("ScheduleStatus");
        String last = status.path("Last").asText("");
        String next = status.path("Next").asText("");
        if (!last.isEmpty() || !next.isEmpty()) {
            return last + "/" + next;
        }
        String now = inv.sys("UtcNow").orElseThrow(() -> new InvalidInvocationException(
                "Data.timer.ScheduleStatus: missing, and Metadata.sys.UtcNow too: cannot tell which tick this is"));
        return now.length() >= 16 ? now.substring(0, 16) : now;
    }
}
