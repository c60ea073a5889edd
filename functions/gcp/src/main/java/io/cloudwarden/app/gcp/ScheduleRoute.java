package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /schedule}: Cloud Scheduler → the core's scheduled-scan entry point, once per
 * {@code X-CloudScheduler-JobName} + {@code X-CloudScheduler-ScheduleTime} (fanned out over Pub/Sub with
 * {@code cloudwarden.fanout=true}); 207 when some scope was not read. The caller's Google OIDC token is checked when
 * {@code cloudwarden.gcp.oidc-audience} is set.
 */
@Path("/schedule")
public class ScheduleRoute {
    private static final String JOB = "x-cloudscheduler-jobname";
    private static final String TIME = "x-cloudscheduler-scheduletime";

    @Inject
    Functions functions;

    @Inject
    OidcCheck oidc;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response schedule(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        HttpRequest request = JaxRs.request("/schedule", headers, uri, body);
        Optional<HttpResponse> refused = oidc.deny(request).or(() -> invalid(request));
        if (refused.isPresent()) {
            return JaxRs.response(refused.get());
        }
        String job = header(request, JOB).orElseThrow();
        ScheduledScans.Run run = functions.schedules().run(new ScheduledScans.Tick(job,
                header(request, TIME).orElseThrow(), new Actor("service", job, job, "cloudscheduler.googleapis.com")),
                List.of(Cloud.GCP));
        boolean partial = run.scan().map(s -> s.snapshot().partial()).orElse(false);
        return JaxRs.response(HttpResponse.json(partial ? 207 : 200, Outcomes.schedule(run)));
    }

    private static Optional<String> header(HttpRequest request, String name) {
        return request.header(name).filter(s -> !s.isBlank());
    }

    /** 400 naming the header when the job name or the slot's time is missing or not RFC 3339. */
    private static Optional<HttpResponse> invalid(HttpRequest request) {
        Optional<String> time = header(request, TIME);
        if (header(request, JOB).isEmpty()) {
            return Optional.of(HttpResponse.error(400, "X-CloudScheduler-JobName: expected the Cloud Scheduler job"
                    + " name header"));
        }
        if (time.isEmpty()) {
            return Optional.of(HttpResponse.error(400, "X-CloudScheduler-ScheduleTime: expected the RFC 3339 time of"
                    + " the scheduled slot"));
        }
        try {
            OffsetDateTime.parse(time.get());
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of(HttpResponse.error(400, "X-CloudScheduler-ScheduleTime: expected an RFC 3339 time but"
                    + " was '" + time.get() + "'"));
        }
    }
}
