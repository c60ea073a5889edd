package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.Functions;
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

/**
 * The Cloud Run routes that go straight to the core gateway: {@code POST /} and {@code POST /events/gcp} (Eventarc
 * CloudEvents of Cloud Audit Log entries, binary mode — {@code ce-*} headers + the LogEntry as body — or structured
 * mode, {@code application/cloudevents+json}), {@code POST /scan}, {@code POST /chatops/{channel}}. Pub/Sub push is
 * {@link PubSubRoute}, Cloud Scheduler {@link ScheduleRoute}.
 */
@Path("/")
public class GcpRoutes {
    @Inject
    Functions functions;

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

    private Response gateway(String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        return JaxRs.response(functions.gateway().handle(JaxRs.request(path, headers, uri, body)));
    }
}
