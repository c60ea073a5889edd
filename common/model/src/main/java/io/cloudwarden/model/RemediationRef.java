package io.cloudwarden.model;

/** The remediation a rule asks for: an action id and a mode ({@code notify}, {@code approve} or {@code auto}). */
public record RemediationRef(String action, Mode mode) {
    public enum Mode {
        NOTIFY, APPROVE, AUTO;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Mode of(String v) {
            for (Mode m : values()) {
                if (m.id().equalsIgnoreCase(v == null ? "" : v.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode: expected one of notify, approve, auto but was '" + v + "'");
        }
    }

    public RemediationRef {
        java.util.Objects.requireNonNull(action, "action");
        mode = mode == null ? Mode.NOTIFY : mode;
    }
}
