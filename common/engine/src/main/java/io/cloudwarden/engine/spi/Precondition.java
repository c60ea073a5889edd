package io.cloudwarden.engine.spi;

import java.util.Objects;

/** Write condition: none, only if absent, or only if the current version matches. */
public record Precondition(Kind kind, String version) {
    public enum Kind { NONE, IF_ABSENT, IF_MATCH }

    public static final Precondition NONE = new Precondition(Kind.NONE, "");
    public static final Precondition IF_ABSENT = new Precondition(Kind.IF_ABSENT, "");

    public static Precondition ifMatch(String version) {
        return new Precondition(Kind.IF_MATCH, Objects.requireNonNull(version, "version"));
    }
}
