package io.cloudwarden.engine.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Output formats of findings and drift reports. */
public enum ReportFormat {
    JSON, OCSF, SARIF, MARKDOWN, TABLE;

    /** Lower-case name as users type it ({@code --format sarif}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a user-supplied format name, case-insensitively ({@code md} is accepted for markdown).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ReportFormat parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("md")) {
            return MARKDOWN;
        }
        for (ReportFormat f : values()) {
            if (f.id().equals(v)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format: expected one of "
                + Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", "))
                + " but was '" + value + "'");
    }
}
