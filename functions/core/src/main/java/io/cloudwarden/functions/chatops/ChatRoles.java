package io.cloudwarden.functions.chatops;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds which chat role, from configuration: {@code cloudwarden.chatops.roles.<role>} is a comma list of chat
 * identities ({@code slack:T123:U456}, {@code slack:U456}, {@code teams:<aadObjectId>},
 * {@code teams:<tenant>:<aadObjectId>}); {@code cloudwarden.chatops.default-role} ({@code none} by default — deny
 * unknown users — or {@code viewer}) applies to everyone not listed.
 */
public final class ChatRoles {
    public static final String ROLES_PREFIX = "cloudwarden.chatops.roles.";
    public static final String DEFAULT_ROLE = "cloudwarden.chatops.default-role";

    private final Map<String, Set<Role>> byIdentity;
    private final Optional<Role> defaultRole;

    private ChatRoles(Map<String, Set<Role>> byIdentity, Optional<Role> defaultRole) {
        this.byIdentity = Map.copyOf(byIdentity);
        this.defaultRole = defaultRole;
    }

    public static ChatRoles from(CoreConfig config) {
        Map<String, Set<Role>> m = new HashMap<>();
        for (Role role : Role.values()) {
            for (String who : config.list(ROLES_PREFIX + role.id())) {
                m.computeIfAbsent(who, k -> EnumSet.noneOf(Role.class)).add(role);
            }
        }
        config.values().keySet().stream().filter(k -> k.startsWith(ROLES_PREFIX)).forEach(k -> {
            String name = k.substring(ROLES_PREFIX.length());
            if (java.util.Arrays.stream(Role.values()).noneMatch(r -> r.id().equals(name))) {
                throw new ConfigException(k, "a role among viewer, operator, approver, admin", name);
            }
        });
        // CLOUDWARDEN_CHATOPS_DEFAULT_ROLE maps to cloudwarden.chatops.default.role: accept that spelling too.
        String d = config.get(DEFAULT_ROLE).or(() -> config.get("cloudwarden.chatops.default.role")).orElse("none")
                .toLowerCase(Locale.ROOT);
        Optional<Role> dflt = switch (d) {
            case "none" -> Optional.empty();
            case "viewer" -> Optional.of(Role.VIEWER);
            default -> throw new ConfigException(DEFAULT_ROLE, "viewer or none", d);
        };
        return new ChatRoles(m, dflt);
    }

    /** The roles of one identity: the listed ones, else the default role, else none. */
    public Set<Role> rolesOf(ChatIdentity who) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String key : who.roleKeys()) {
            roles.addAll(byIdentity.getOrDefault(key, Set.of()));
        }
        if (roles.isEmpty()) {
            defaultRole.ifPresent(roles::add);
        }
        return roles;
    }

    public boolean allows(ChatIdentity who, Role required) {
        return rolesOf(who).stream().anyMatch(r -> r.grants(required));
    }
}
