package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Native trigger payload → resource events (ref, actor, action, event id). */
public interface EventParser {
    /** Cheap shape test: true when this parser recognises the envelope. */
    boolean accepts(JsonNode envelope);

    /**
     * Parses an accepted envelope. Throws {@link EventParseException} naming the missing field when malformed;
     * returns {@link ParsedEvents#ignored} with a reason for well-formed events it does not act on.
     */
    ParsedEvents parse(JsonNode envelope);

    /**
     * What the cloud's event subscription must deliver for this parser to see every change it acts on, derived from
     * the provider's type declarations: a JSON object whose fields are the names {@code infra/<cloud>} reads them
     * under (e.g. AWS {@code cloudtrail_events}: event source → event names), each a sorted list of strings or an
     * object of such lists. {@code cloudwarden triggers} writes it to {@code infra/<cloud>/triggers.json}, which
     * Terraform reads and {@code tests/integration} compares with a fresh copy. Empty: the parser needs no list.
     */
    default Optional<ObjectNode> triggers() {
        return Optional.empty();
    }
}
