package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code eventgrid} function (eventGridTrigger): Data {@code event} is one Event Grid delivery — an ARM event in
 * the Event Grid schema or the CloudEvents 1.0 schema, whichever the subscription uses (the host has already done
 * the subscription handshake). The core parses it, drops duplicates, re-collects the resource it names, evaluates
 * the rules and emits remediation requests.
 *
 * <p>Answers 200 with a summary whose findings name the caller from the event's claims. A malformed event (400) and
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
        List<String> logs = new ArrayList<>();
        outcome.events().forEach(e -> logs.add(e.action() + " on " + e.id() + " by " + e.actor().label()));
        outcome.ignored().forEach(i -> logs.add("ignored: " + i));
        outcome.duplicates().forEach(d -> logs.add("duplicate delivery skipped: " + d));
        logs.add(outcome.findings().size() + " findings, " + requests(outcome) + " remediation requests");
        return InvocationResult.ok(logs, summary(outcome));
    }

    private static long requests(EventOutcome o) {
        return o.remediation().stream().filter(p -> p.plan().isPresent()).count();
    }

    /** The outcome, each finding with the caller whose change the event reported. */
    static ObjectNode summary(EventOutcome o) {
        Map<String, Actor> callers = new HashMap<>();
        for (ResourceEvent e : o.events()) {
            callers.put(e.ref().matchKey(), e.actor());
        }
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.set("events", ModelJson.mapper().valueToTree(o.events()));
        out.set("ignored", ModelJson.mapper().valueToTree(o.ignored()));
        out.set("duplicates", ModelJson.mapper().valueToTree(o.duplicates()));
        ArrayNode findings = out.putArray("findings");
        for (Finding f : o.findings()) {
            ObjectNode n = ModelJson.mapper().valueToTree(f);
            n.set("caller", ModelJson.mapper().valueToTree(callers.getOrDefault(f.resource().matchKey(),
                    Actor.UNKNOWN)));
            findings.add(n);
        }
        out.set("drift", ModelJson.mapper().valueToTree(o.drift()));
        out.put("remediationRequests", requests(o));
        return out;
    }
}
