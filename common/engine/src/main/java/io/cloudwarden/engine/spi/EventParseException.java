package io.cloudwarden.engine.spi;

/** A trigger payload that is malformed: {@code field} names what is missing or wrong (a JSON pointer or name). */
public class EventParseException extends RuntimeException {
    private final String field;

    public EventParseException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
