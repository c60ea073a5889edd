package io.cloudwarden.model.schema;

/**
 * One schema violation: {@code pointer} is the RFC 6901 JSON pointer of the offending field in the validated
 * document (e.g. {@code /resources/3/attributes/publicAccess}), {@code expected} says what the schema wants.
 */
public record Violation(String pointer, String keyword, String expected) {
    public Violation {
        pointer = pointer == null ? "" : pointer;
        keyword = keyword == null ? "" : keyword;
        expected = expected == null ? "" : expected;
    }

    /** The same violation, located inside a larger document under {@code prefix}. */
    public Violation under(String prefix) {
        return new Violation(prefix + pointer, keyword, expected);
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : pointer) + ": " + expected;
    }
}
