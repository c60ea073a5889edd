package io.cloudwarden.functions.permissions;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The identities Cloudwarden deploys per cloud. */
public enum PermissionRole {
    /** Reads the estate: the union of every descriptor's read permissions. */
    SCANNER("Scanner", "Read-only access Cloudwarden's collectors need to enumerate and re-read resources"),
    /** Changes the estate: exactly the union of every remediator's permissions. */
    REMEDIATOR("Remediator", "The write actions Cloudwarden's remediators perform, and nothing else"),
    /**
     * Signs the audit trail's segment digests: exactly the provider's {@code auditWriterPermissions()} (sign with, and
     * read the public half of, the audit key). The scanner never holds these; infra/ grants them on the one key.
     */
    AUDIT_WRITER("AuditWriter", "Sign Cloudwarden's audit digests with the audit key, and nothing else");

    private final String title;
    private final String description;

    PermissionRole(String title, String description) {
        this.title = title;
        this.description = description;
    }

    /** Lower-case name used on the command line and in file names ({@code scanner}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** @throws PermissionsException naming the option and the accepted values */
    public static PermissionRole parse(String value) {
        for (PermissionRole r : values()) {
            if (r.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return r;
            }
        }
        throw new PermissionsException("--role: expected one of " + Arrays.stream(values()).map(PermissionRole::id)
                .collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
}
