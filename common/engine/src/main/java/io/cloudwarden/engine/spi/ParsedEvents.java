package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ResourceEvent;
import java.util.List;
import java.util.Optional;

/**
 * What an event parser made of a payload: the resource events, the entries it deliberately ignored with the reason
 * (failed call, unhandled event type, our own remediation role), whether it is a scheduled tick, and a reply the
 * sender expects (the Event Grid validation handshake).
 */
public record ParsedEvents(List<ResourceEvent> events, List<String> ignored, boolean scheduled,
        Optional<JsonNode> reply) {
    public ParsedEvents {
        events = List.copyOf(events);
        ignored = List.copyOf(ignored);
        reply = reply == null ? Optional.empty() : reply;
    }

    public static ParsedEvents of(List<ResourceEvent> events) {
        return new ParsedEvents(events, List.of(), false, Optional.empty());
    }

    public static ParsedEvents ignored(String reason) {
        return new ParsedEvents(List.of(), List.of(reason), false, Optional.empty());
    }

    public static ParsedEvents schedule() {
        return new ParsedEvents(List.of(), List.of(), true, Optional.empty());
    }

    public static ParsedEvents reply(JsonNode reply) {
        return new ParsedEvents(List.of(), List.of(), false, Optional.of(reply));
    }
}
