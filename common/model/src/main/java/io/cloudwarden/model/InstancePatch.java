package io.cloudwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Attributes.ComputeInstance.Os;
import io.cloudwarden.model.Attributes.ComputeInstance.Patch;
import java.time.Instant;

/**
 * The {@code compute.instance} {@code patch} attribute, as the three providers build it: the state the cloud's patch
 * service reports for one instance. A count or a time the service does not report is null, never 0 or "now".
 *
 * @param managed false when the instance does not report to the patch service (no agent, not registered); then
 *                every other field is null
 */
public record InstancePatch(boolean managed, Integer missingCritical, Integer missingSecurity, Integer missingOther,
        Instant lastAssessedAt, Instant lastInstalledAt, Boolean rebootPending) {

    public InstancePatch {
        for (Integer n : new Integer[] {missingCritical, missingSecurity, missingOther}) {
            if (n != null && n < 0) {
                throw new IllegalArgumentException("patch counts must be >= 0 but was " + n);
            }
        }
    }

    /** An instance the patch service does not know: it has no agent or is not registered. */
    public static InstancePatch unmanaged() {
        return new InstancePatch(false, null, null, null, null, null, null);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(Patch.MANAGED, managed);
        putInt(o, Patch.MISSING_CRITICAL, missingCritical);
        putInt(o, Patch.MISSING_SECURITY, missingSecurity);
        putInt(o, Patch.MISSING_OTHER, missingOther);
        o.put(Patch.LAST_ASSESSED_AT, lastAssessedAt == null ? null : lastAssessedAt.toString());
        o.put(Patch.LAST_INSTALLED_AT, lastInstalledAt == null ? null : lastInstalledAt.toString());
        if (rebootPending == null) {
            o.putNull(Patch.REBOOT_PENDING);
        } else {
            o.put(Patch.REBOOT_PENDING, rebootPending);
        }
        return o;
    }

    /** The {@code patch} attribute of a normalized instance; null when it is absent or null (not read). */
    public static InstancePatch of(JsonNode attributes) {
        JsonNode p = attributes == null ? null : attributes.get(Attributes.ComputeInstance.PATCH);
        if (p == null || p.isNull()) {
            return null;
        }
        return new InstancePatch(p.path(Patch.MANAGED).asBoolean(false), intOrNull(p, Patch.MISSING_CRITICAL),
                intOrNull(p, Patch.MISSING_SECURITY), intOrNull(p, Patch.MISSING_OTHER),
                timeOrNull(p, Patch.LAST_ASSESSED_AT), timeOrNull(p, Patch.LAST_INSTALLED_AT),
                p.path(Patch.REBOOT_PENDING).isBoolean() ? p.get(Patch.REBOOT_PENDING).asBoolean() : null);
    }

    /** Nothing critical or security-classified is missing (counts the service did not report do not count). */
    public boolean compliant() {
        return managed && (missingCritical == null || missingCritical == 0)
                && (missingSecurity == null || missingSecurity == 0);
    }

    private static void putInt(ObjectNode o, String field, Integer value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static Integer intOrNull(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || !v.isIntegralNumber() ? null : v.asInt();
    }

    private static Instant timeOrNull(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || !v.isTextual() ? null : Instant.parse(v.asText());
    }

    /**
     * The {@code os} attribute: {@code family} is {@code linux}, {@code windows} or null (another or unknown family);
     * name and version as the service reports them.
     */
    public record OsInfo(String family, String name, String version) {
        public static final String LINUX = "linux";
        public static final String WINDOWS = "windows";

        public OsInfo {
            if (family != null && !family.equals(LINUX) && !family.equals(WINDOWS)) {
                throw new IllegalArgumentException("os.family: expected linux, windows or null but was " + family);
            }
        }

        /** Maps a platform word the clouds use (Linux, Windows, Ubuntu, …) to a family; null when not recognised. */
        public static String familyOf(String platform) {
            if (platform == null) {
                return null;
            }
            String p = platform.toLowerCase(java.util.Locale.ROOT);
            if (p.contains("windows")) {
                return WINDOWS;
            }
            if (p.contains("linux") || p.contains("ubuntu") || p.contains("debian") || p.contains("centos")
                    || p.contains("rhel") || p.contains("red hat") || p.contains("suse") || p.contains("amazon")
                    || p.contains("rocky") || p.contains("alma") || p.contains("oracle")) {
                return LINUX;
            }
            return null;
        }

        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put(Os.FAMILY, family);
            o.put(Os.NAME, name);
            o.put(Os.VERSION, version);
            return o;
        }
    }
}
