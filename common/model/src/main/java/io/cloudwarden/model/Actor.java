package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who did something: a cloud principal named by an event, a chat user, or Cloudwarden itself.
 * {@code kind} is one of {@code user}, {@code role}, {@code service}, {@code chat}, {@code system}, {@code unknown};
 * {@code via} says through what (an assumed-role session, a chat workspace, a CLI host); in JSON it is left out
 * when there is none (absent, not {@code ""}), and an absent {@code via} reads back as none.
 */
public record Actor(String kind, String id, String name,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String via) {
    public static final Actor UNKNOWN = new Actor("unknown", "", "", "");
    public static final Actor SYSTEM = new Actor("system", "cloudwarden", "cloudwarden", "");

    public Actor {
        kind = kind == null || kind.isBlank() ? "unknown" : kind;
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        via = via == null ? "" : via;
    }

    public boolean known() {
        return !"unknown".equals(kind);
    }

    /** Short human label: name, else id. */
    public String label() {
        return !name.isEmpty() ? name : !id.isEmpty() ? id : kind;
    }
}
