package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.model.Cloud;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The {@code eventgrid} function (eventGridTrigger): Data {@code event} is one Event Grid delivery — an ARM event in
 * the Event Grid schema or the CloudEvents 1.0 schema, whichever the subscription uses (the host has already done
 * the subscription handshake). The core parses it, drops duplicates, re-collects the resource it names, evaluates
 * the rules and emits remediation requests.
 *
 * <p>Answers 200 with {@link Outcomes#event}: each finding names the {@code actor} from the event's claims. A malformed event (400) and
 * a failure reading Azure (502) fail the invocation, so Event Grid redelivers it with its retry policy and finally
 * dead-letters it: nothing is dropped silently.
 */
@Path("/eventgrid")
public class EventGridFunction {
    static final String BINDING = "event";

    @Inject
    Functions functions;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response invoke(byte[] body) {
        JsonNode event;
        try {
            event = Invocation.parse(body).json(BINDING);
        } catch (InvalidInvocationException e) {
            return InvocationResult.failed(400, List.of(e.getMessage()));
        }
        EventOutcome outcome;
        try {
            outcome = functions.events().handle(Cloud.AZURE, event);
        } catch (EventParseException e) {
            return InvocationResult.failed(400, List.of("rejected event: " + e.getMessage()));
        } catch (ProviderException e) {
            return InvocationResult.failed(502, List.of("azure " + e.operation() + " failed: " + e.nativeCode()
                    + (e.retryable() ? " (retryable)" : "")));
        }
        if (outcome.reply().isPresent()) {
            // the host answers Event Grid's handshake for an eventGridTrigger itself; a validation event that still
            // reaches the function is answered the same way, for direct deliveries and tests
            return InvocationResult.ok(List.of("subscription validation event answered"), outcome.reply().get());
        }
        return InvocationResult.ok(Outcomes.eventLog(outcome), Outcomes.event(outcome));
    }
}
