package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;

/** Native trigger payload → resource events (ref, actor, action, event id). */
public interface EventParser {
    /** Cheap shape test: true when this parser recognises the envelope. */
    boolean accepts(JsonNode envelope);

    /**
     * Parses an accepted envelope. Throws {@link EventParseException} naming the missing field when malformed;
     * returns {@link ParsedEvents#ignored} with a reason for well-formed events it does not act on.
     */
    ParsedEvents parse(JsonNode envelope);
}
