package io.cloudwarden.functions.permissions;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a permission set is rendered. */
public enum PolicyFormat {
    /** The cloud's own policy document (IAM policy, Azure custom role definition, GCP custom role). */
    JSON,
    /** A Terraform (HCL) snippet declaring the same list. */
    TERRAFORM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws PermissionsException naming the option and the accepted values */
    public static PolicyFormat parse(String value) {
        for (PolicyFormat f : values()) {
            if (f.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return f;
            }
        }
        throw new PermissionsException("--format: expected one of " + Arrays.stream(values()).map(PolicyFormat::id)
                .collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
}
