package io.cloudwarden.engine.policy;

import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One policy rule: the {@code condition} is a CEL expression over {@code resource} (the model JSON of one resource)
 * that must hold for the resource to comply. {@code resourceTypes} are normalized type names the rule applies to;
 * {@code fix} is the human remediation text (what to change so the resource complies; OCSF {@code remediation.desc},
 * SARIF rule help, the HTML report), independent of the automated {@code remediation} action. {@code source} names
 * the file the rule came from (for error messages and reports).
 */
public record Rule(
        String id,
        String title,
        String description,
        Severity severity,
        List<String> resourceTypes,
        String condition,
        List<String> controls,
        Optional<RemediationRef> remediation,
        String fix,
        String source) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(condition, "condition");
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        resourceTypes = resourceTypes == null ? List.of() : List.copyOf(resourceTypes);
        controls = controls == null ? List.of() : List.copyOf(controls);
        remediation = remediation == null ? Optional.empty() : remediation;
        fix = fix == null ? "" : fix;
        source = source == null ? "" : source;
    }

    /** A rule without remediation text. */
    public Rule(String id, String title, String description, Severity severity, List<String> resourceTypes,
            String condition, List<String> controls, Optional<RemediationRef> remediation, String source) {
        this(id, title, description, severity, resourceTypes, condition, controls, remediation, "", source);
    }

    /**
     * What to do about a finding of this rule, in words: {@code fix} when the rule has it, otherwise the automated
     * remediation action, otherwise the title read as an instruction. Never empty.
     */
    public String remediationText() {
        if (!fix.isEmpty()) {
            return fix;
        }
        if (remediation.isPresent()) {
            return "Run Cloudwarden's remediation " + remediation.get().action() + " (cloudwarden remediate).";
        }
        return "Change the resource so that it complies: " + (title.isEmpty() ? id : title) + ".";
    }

    /** True when this rule is evaluated against resources of {@code type}. */
    public boolean appliesTo(String type) {
        return resourceTypes.contains(type);
    }
}
