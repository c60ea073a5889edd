package io.cloudwarden.engine.policy;

/**
 * A rule file or rule that cannot be used: YAML syntax, a missing or ill-typed field, an unknown severity or
 * resource type, a duplicate id, or a CEL condition that does not compile to a boolean. {@link #getMessage()} is
 * one line naming the file, the rule id (when known) and what was expected.
 */
public class PolicyValidationException extends RuntimeException {
    private final String file;
    private final String ruleId;
    private final String detail;

    public PolicyValidationException(String file, String ruleId, String detail) {
        this(file, ruleId, detail, null);
    }

    public PolicyValidationException(String file, String ruleId, String detail, Throwable cause) {
        super(format(file, ruleId, detail), cause);
        this.file = file == null ? "" : file;
        this.ruleId = ruleId == null ? "" : ruleId;
        this.detail = detail == null ? "" : detail;
    }

    private static String format(String file, String ruleId, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null || file.isEmpty() ? "<rules>" : file);
        if (ruleId != null && !ruleId.isEmpty()) {
            sb.append(": rule '").append(ruleId).append('\'');
        }
        sb.append(": ").append(detail == null ? "" : detail.replace('\n', ' ').replaceAll("\\s+", " ").trim());
        return sb.toString();
    }

    /** The file the rule came from ({@code classpath:/rules/builtin.yaml} for the built-in pack). */
    public String file() {
        return file;
    }

    /** The offending rule's id, or empty when the problem is not tied to one rule. */
    public String ruleId() {
        return ruleId;
    }

    /** What was wrong, without the file / rule prefix. */
    public String detail() {
        return detail;
    }
}
