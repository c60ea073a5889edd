package io.cloudwarden.engine.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Output formats of findings and drift reports. {@code ocsf} is one JSON array of OCSF events, {@code ocsf-ndjson}
 * (also accepted as {@code ndjson}) the same events one per line; {@code html} is one self-contained page.
 */
public enum ReportFormat {
    JSON, OCSF, OCSF_NDJSON, SARIF, MARKDOWN, TABLE, HTML;

    /** Lower-case name as users type it ({@code --format sarif}, {@code --format ocsf-ndjson}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        if (v.equals("ndjson")) {
            return OCSF_NDJSON;
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
