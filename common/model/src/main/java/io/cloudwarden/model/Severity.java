package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Finding severity, most severe first. Serialized in lower case. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this severity is at least as severe as {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    @JsonCreator
    public static Severity of(String value) {
        if (value != null) {
            for (Severity s : values()) {
                if (s.id().equalsIgnoreCase(value.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException(
                "severity: expected one of critical, high, medium, low, info but was '" + value + "'");
    }

    @Override
    public String toString() {
        return id();
    }
}
