package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A normalizer's output: display name, tags and the type's normalized attributes. */
public record Normalized(String name, Map<String, String> tags, ObjectNode attributes) {
    public Normalized {
        name = name == null ? "" : name;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        java.util.Objects.requireNonNull(attributes, "attributes");
    }

}
