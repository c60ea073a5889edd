package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.model.ModelJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /pubsub}: Pub/Sub push. A Cloudwarden work item → the core's batch runner (a failed item answers 500 so
 * Pub/Sub redelivers it and, past the subscription's max delivery attempts, dead-letters it); a log-sink message →
 * the event path. The caller's Google OIDC token is checked when {@code cloudwarden.gcp.oidc-audience} is set.
 */
@Path("/pubsub")
public class PubSubRoute {
    @Inject
    Functions functions;

    @Inject
    OidcCheck oidc;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response pubsub(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        HttpRequest request = JaxRs.request("/pubsub", headers, uri, body);
        Optional<HttpResponse> denied = oidc.deny(request);
        if (denied.isPresent()) {
            return JaxRs.response(denied.get());
        }
        PushMessage push;
        try {
            push = PushMessage.parse(request.body());
        } catch (EventParseException e) {
            return JaxRs.response(HttpResponse.error(400, e.getMessage()));
        }
        if (!push.workItem()) {
            // a log-sink message: the GCP event parser reads the push envelope itself
            return JaxRs.response(functions.gateway().handle(JaxRs.request("/events/gcp", headers, uri, body)));
        }
        BatchResult result = functions.batch().run(List.of(push.toWorkItem()));
        ObjectNode out = ModelJson.mapper().createObjectNode().put("messageId", push.messageId())
                .put("deliveryAttempt", push.deliveryAttempt());
        if (!result.failures().isEmpty()) {
            return JaxRs.response(HttpResponse.json(500, out.put("error", result.failures().get(0).reason())));
        }
        return JaxRs.response(HttpResponse.json(200, out.put("processed", result.succeeded())));
    }
}
