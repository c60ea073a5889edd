package io.cloudwarden.model.schema;

import java.util.List;

/**
 * A model document (snapshot, resource) is malformed or does not match its JSON Schema. The message names the
 * source, the JSON pointer of the first offending field and what was expected; {@link #violations()} lists all.
 */
public class ModelValidationException extends RuntimeException {
    private final String source;
    private final List<Violation> violations;

    public ModelValidationException(String source, List<Violation> violations) {
        super(format(source, violations));
        this.source = source;
        this.violations = List.copyOf(violations);
    }

    public ModelValidationException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.violations = List.of();
    }

    public String source() {
        return source;
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String format(String source, List<Violation> violations) {
        StringBuilder sb = new StringBuilder(source).append(": ");
        if (violations.isEmpty()) {
            return sb.append("invalid").toString();
        }
        sb.append(violations.get(0));
        if (violations.size() > 1) {
            sb.append(" (and ").append(violations.size() - 1).append(" more: ");
            violations.stream().skip(1).limit(5).forEach(v -> sb.append(v).append("; "));
            sb.setLength(sb.length() - 2);
            sb.append(violations.size() > 6 ? "; …)" : ")");
        }
        return sb.toString();
    }
}
