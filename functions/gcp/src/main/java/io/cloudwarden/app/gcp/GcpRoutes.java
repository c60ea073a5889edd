package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
 * The Cloud Run routes, thin adapters over the core:
 * <ul>
 * <li>{@code POST /} and {@code POST /events/gcp}: Eventarc CloudEvents of Cloud Audit Log entries, binary mode
 * ({@code ce-*} headers + the LogEntry as body) or structured mode ({@code application/cloudevents+json}) → the
 * core gateway's {@code /events/gcp};</li>
 * <li>{@code POST /pubsub}: Pub/Sub push; a Cloudwarden work item → {@code BatchRunner} (a failed item answers 500
 * so Pub/Sub redelivers it and, past the subscription's max delivery attempts, dead-letters it); a log-sink message
 * → the event path;</li>
 * <li>{@code POST /schedule}: Cloud Scheduler → the core's scheduled-scan entry point, once per
 * {@code X-CloudScheduler-JobName} + {@code X-CloudScheduler-ScheduleTime} (fanned out over Pub/Sub with
 * {@code cloudwarden.fanout=true});</li>
 * <li>{@code POST /scan}, {@code POST /chatops/*} → the core gateway.</li>
 * </ul>
 * {@code /schedule} and {@code /pubsub} check the caller's Google OIDC token when
 * {@code cloudwarden.gcp.oidc-audience} is set ({@link OidcCheck}).
 */
@Path("/")
public class GcpRoutes {
    @Inject
    Functions functions;

    @Inject
    OidcCheck oidc;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response root(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return gateway("/events/gcp", headers, uri, body);
    }

    @POST
    @Path("events/gcp")
    @Consumes(MediaType.WILDCARD)
    public Response events(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return gateway("/events/gcp", headers, uri, body);
    }

    @POST
    @Path("scan")
    @Consumes(MediaType.WILDCARD)
    public Response scan(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return gateway("/scan", headers, uri, body);
    }

    @POST
    @Path("chatops/{channel}")
    @Consumes(MediaType.WILDCARD)
    public Response chatops(@PathParam("channel") String channel, @Context HttpHeaders headers,
            @Context UriInfo uri, byte[] body) {
        return gateway("/chatops/" + channel, headers, uri, body);
    }

    @POST
    @Path("pubsub")
    @Consumes(MediaType.WILDCARD)
    public Response pubsub(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        HttpRequest request = request("/pubsub", headers, uri, body);
        Optional<HttpResponse> denied = oidc.deny(request);
        if (denied.isPresent()) {
            return toJaxRs(denied.get());
        }
        PushMessage push;
        try {
            push = PushMessage.parse(request.body());
        } catch (EventParseException e) {
            return toJaxRs(HttpResponse.error(400, e.getMessage()));
        }
        if (!push.workItem()) {
            // a log-sink message: the GCP event parser reads the push envelope itself
            return toJaxRs(functions.gateway().handle(new HttpRequest("POST", "/events/gcp", request.headers(),
                    request.rawQuery(), request.body())));
        }
        BatchResult result = functions.batch().run(List.of(push.toWorkItem()));
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("messageId", push.messageId());
        out.put("deliveryAttempt", push.deliveryAttempt());
        if (!result.failures().isEmpty()) {
            out.put("error", result.failures().get(0).reason());
            return toJaxRs(HttpResponse.json(500, out));
        }
        out.put("processed", result.succeeded());
        return toJaxRs(HttpResponse.json(200, out));
    }

    @POST
    @Path("schedule")
    @Consumes(MediaType.WILDCARD)
    public Response schedule(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        HttpRequest request = request("/schedule", headers, uri, body);
        Optional<HttpResponse> denied = oidc.deny(request);
        if (denied.isPresent()) {
            return toJaxRs(denied.get());
        }
        Optional<String> job = request.header("x-cloudscheduler-jobname").filter(s -> !s.isBlank());
        Optional<String> time = request.header("x-cloudscheduler-scheduletime").filter(s -> !s.isBlank());
        if (job.isEmpty()) {
            return toJaxRs(HttpResponse.error(400, "X-CloudScheduler-JobName: expected the Cloud Scheduler job"
                    + " name header"));
        }
        if (time.isEmpty()) {
            return toJaxRs(HttpResponse.error(400, "X-CloudScheduler-ScheduleTime: expected the RFC 3339 time of"
                    + " the scheduled slot"));
        }
        try {
            OffsetDateTime.parse(time.get());
        } catch (DateTimeParseException e) {
            return toJaxRs(HttpResponse.error(400, "X-CloudScheduler-ScheduleTime: expected an RFC 3339 time but"
                    + " was '" + time.get() + "'"));
        }
        ScheduledScans.Run run = functions.schedules().run(new ScheduledScans.Tick(job.get(), time.get(),
                new Actor("service", job.get(), job.get(), "cloudscheduler.googleapis.com")), List.of(Cloud.GCP));
        boolean partial = run.scan().map(s -> s.snapshot().partial()).orElse(false);
        return toJaxRs(HttpResponse.json(partial ? 207 : 200, Outcomes.schedule(run)));
    }

    private Response gateway(String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        return toJaxRs(functions.gateway().handle(request(path, headers, uri, body)));
    }

    private static HttpRequest request(String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        return new HttpRequest("POST", path, headers.getRequestHeaders(), uri.getRequestUri().getRawQuery(), body);
    }

    static Response toJaxRs(HttpResponse r) {
        Response.ResponseBuilder b = Response.status(r.status());
        r.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("content-type")) {
                b.type(v);
            } else {
                b.header(k, v);
            }
        });
        return r.body().length == 0 ? b.build() : b.entity(r.body()).build();
    }
}
