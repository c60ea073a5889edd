package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One drifted resource. {@code kind}: {@code unmanaged} (observed, not declared / added since the last snapshot),
 * {@code missing} (declared, not observed / removed), {@code changed} (both, attributes differ; {@code patch} is the
 * RFC 6902 patch from expected to observed). {@code actor} names who changed it when an event said so.
 */
@JsonPropertyOrder({"kind", "resource", "patch", "actor"})
public record ResourceDrift(Kind kind, ResourceRef resource, List<AttributeChange> patch, Actor actor) {
    public enum Kind {
        UNMANAGED, MISSING, CHANGED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ResourceDrift {
        patch = patch == null ? List.of() : List.copyOf(patch);
        actor = actor == null ? Actor.UNKNOWN : actor;
    }
}
