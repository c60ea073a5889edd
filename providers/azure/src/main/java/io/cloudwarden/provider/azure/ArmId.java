package io.cloudwarden.provider.azure;

import java.util.Locale;
import java.util.Optional;

/**
 * Helpers over ARM resource ids ({@code /subscriptions/S/resourceGroups/RG/providers/NS/TYPE/NAME[/SUB/NAME...]}).
 * Segment names are matched case-insensitively, as ARM does.
 */
public final class ArmId {
    private ArmId() {
    }

    /** The subscription id of an ARM id, or empty when the id has none. */
    public static Optional<String> subscription(String id) {
        return segmentAfter(id, "subscriptions");
    }

    public static Optional<String> resourceGroup(String id) {
        return segmentAfter(id, "resourceGroups");
    }

    /** The last segment (the resource's name). */
    public static String name(String id) {
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** The id with everything from {@code /childType/...} on removed, e.g. the NSG of a security rule id. */
    public static String parent(String id, String childType) {
        String lower = id.toLowerCase(Locale.ROOT);
        int i = lower.indexOf("/" + childType.toLowerCase(Locale.ROOT) + "/");
        return i < 0 ? id : id.substring(0, i);
    }

    private static Optional<String> segmentAfter(String id, String key) {
        if (id == null) {
            return Optional.empty();
        }
        String[] parts = id.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equalsIgnoreCase(key) && !parts[i + 1].isEmpty()) {
                return Optional.of(parts[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Builds an ARM id. */
    public static String of(String subscription, String resourceGroup, String providerType, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup + "/providers/" + providerType
                + "/" + name;
    }
}
