package io.cloudwarden.app.azure;

import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpGateway;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} function (httpTrigger, route {@code {*path}}): with {@code enableForwardingHttpRequest} the host
 * forwards the caller's request as is, at its public path under the route prefix ({@code /api/scan},
 * {@code /api/events/azure}, {@code /api/chatops/slack}, {@code /api/q/health}). The prefix is stripped and the
 * request — raw body bytes, so chat signatures verify — goes to the core's {@link HttpGateway}, which answers the
 * Event Grid validation handshake ({@code {"validationResponse": ...}}) and the CloudEvents {@code OPTIONS}
 * handshake, checks the bearer token, and runs the use case.
 *
 * <p>The invocation endpoints ({@code /timer}, {@code /eventgrid}, {@code /queue}) are outside {@code /api}, so no
 * public request can reach them through this function.
 */
@Path(ForwardedHttp.PREFIX)
public class ForwardedHttp {
    /** host.json {@code extensions.http.routePrefix}. */
    static final String PREFIX = "/api";

    @Inject
    Functions functions;

    @GET
    @Path("{path: .*}")
    public Response get(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(request, uri, headers, new byte[0]);
    }

    @OPTIONS
    @Path("{path: .*}")
    public Response options(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(request, uri, headers, new byte[0]);
    }

    @POST
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Response post(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(request, uri, headers, body);
    }

    @PUT
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(request, uri, headers, body);
    }

    @PATCH
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Response patch(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(request, uri, headers, body);
    }

    @DELETE
    @Path("{path: .*}")
    public Response delete(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(request, uri, headers, new byte[0]);
    }

    private Response forward(Request request, UriInfo uri, HttpHeaders headers, byte[] body) {
        String raw = uri.getRequestUri().getRawPath();
        String path = raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()) : raw;
        Map<String, List<String>> h = new HashMap<>(headers.getRequestHeaders());
        HttpResponse resp = functions.gateway().handle(new HttpRequest(request.getMethod(),
                path.isEmpty() ? "/" : path, h, uri.getRequestUri().getRawQuery(), body == null ? new byte[0] : body));
        Response.ResponseBuilder out = Response.status(resp.status());
        resp.headers().forEach(out::header);
        if (resp.body().length > 0) {
            out.entity(resp.body());
        }
        return out.build();
    }
}
