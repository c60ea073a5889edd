package io.cloudwarden.functions.chatops;

import java.util.Locale;

/**
 * Chat roles. Every named role may use the read-only (viewer) commands; {@code operator} may also request scans and
 * remediation, {@code approver} may also approve or deny plans, and {@code admin} may do everything.
 */
public enum Role {
    VIEWER, OPERATOR, APPROVER, ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when someone holding this role may run a command that needs {@code required}. */
    public boolean grants(Role required) {
        return this == ADMIN || this == required || required == VIEWER;
    }
}
