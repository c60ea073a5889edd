package io.cloudwarden.provider.azure;

import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.Optional;

/**
 * The model ids of Entra objects. Graph object ids are not ARM ids, so Cloudwarden gives them an ARM-like path under
 * the tenant: {@code /tenants/<tenantId>/users/<objectId>}, {@code /tenants/<tenantId>/servicePrincipals/<objectId>}
 * and {@code /tenants/<tenantId>/applications/<objectId>/credentials/<keyId>}. Like every Azure id they compare
 * case-insensitively ({@code ResourceRef.matchKey} folds Azure ids to lower case); segments are matched ignoring case.
 */
public final class GraphIds {
    public static final String USERS = "users";
    public static final String SERVICE_PRINCIPALS = "servicePrincipals";
    public static final String APPLICATIONS = "applications";

    private GraphIds() {
    }

    /** A parsed tenant-scoped id: collection ({@code users}, ...), object id and, for credentials, the key id. */
    public record Parsed(String tenant, String collection, String objectId, Optional<String> keyId) {
    }

    public static String principal(String tenant, String collection, String objectId) {
        return "/tenants/" + tenant + "/" + collection + "/" + objectId;
    }

    public static String credential(String tenant, String applicationObjectId, String keyId) {
        return principal(tenant, APPLICATIONS, applicationObjectId) + "/credentials/" + keyId;
    }

    /** Parses one of the id shapes above; empty for anything else (an ARM id, a typo). */
    public static Optional<Parsed> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String[] p = id.split("/", -1);
        if (p.length < 5 || !p[0].isEmpty() || !p[1].equalsIgnoreCase("tenants") || p[2].isEmpty() || p[4].isEmpty()) {
            return Optional.empty();
        }
        String collection = canonical(p[3]);
        if (collection == null) {
            return Optional.empty();
        }
        if (p.length == 5 && !collection.equals(APPLICATIONS)) {
            return Optional.of(new Parsed(p[2], collection, p[4], Optional.empty()));
        }
        if (p.length == 7 && collection.equals(APPLICATIONS) && p[5].equalsIgnoreCase("credentials")
                && !p[6].isEmpty()) {
            return Optional.of(new Parsed(p[2], collection, p[4], Optional.of(p[6])));
        }
        return Optional.empty();
    }

    private static String canonical(String segment) {
        for (String c : new String[] {USERS, SERVICE_PRINCIPALS, APPLICATIONS}) {
            if (c.equalsIgnoreCase(segment)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The account a failed Entra shard leaves unread: its resources carry the tenant id, not the subscription the
     * shard was planned for. When the tenant is not known without calling Graph (no {@code tenantId} setting and the
     * organization lookup is what failed) it is {@code ""}: every tenant's resources of that type read as "not
     * compared" — never as deleted.
     */
    public static String unreadAccount(AzureSession session) {
        return session.graph().knownTenantId().orElse("");
    }

    /**
     * Whether this shard reads the tenant. The scan planner makes one shard per subscription, but a session's
     * credential belongs to one tenant and the directory is the same from every subscription: the tenant is read
     * once, on the shard of the session's first target (or a shard whose account is the tenant id itself); the
     * shards of the other subscriptions are empty, so no user or key is reported twice.
     */
    public static boolean readsTenant(AzureSession session, Shard shard, String tenant) {
        if (shard.account().equalsIgnoreCase(tenant)) {
            return true;
        }
        return !session.targets().isEmpty() && session.targets().get(0).account().equalsIgnoreCase(shard.account());
    }
}
