package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code timer} function (timerTrigger, NCRONTAB {@code %CLOUDWARDEN_SCHEDULE%}): a full scan of Azure per tick
 * through the core's one scheduled-scan entry point ({@link ScheduledScans#run}: claimed once per tick, then scanned,
 * or — with {@code cloudwarden.fanout=true} — one Storage Queue message per shard). Answers
 * {@link Outcomes#schedule} plus {@code pastDue}.
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
    private static final Actor ACTOR = new Actor("service", "timer", "timer", "azure.functions");

    @Inject
    Functions functions;

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
        ScheduledScans.Run run = functions.schedules().run(new ScheduledScans.Tick(BINDING, tick, ACTOR),
                List.of(Cloud.AZURE));
        logs.addAll(Outcomes.scheduleLog(run, Cloud.AZURE.id()));
        return InvocationResult.ok(logs, Outcomes.schedule(run).put("pastDue", pastDue));
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
