package io.cloudwarden.provider.azure.identity.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.azure.GraphIds;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.session.GraphException;
import io.cloudwarden.provider.azure.session.GraphRest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Entra ID users and service principals → {@code identity.user}, read from Microsoft Graph v1.0.
 *
 * <p>Reads, per tenant: the privileged directory roles and their members ({@code /directoryRoles}, then each
 * role's {@code /members}, paged; members that are role-assignable groups are expanded with
 * {@code /groups/{id}/transitiveMembers}: {@code $expand=members} is not used because Graph caps expanded
 * directory-object links at 20 and does not page them), the MFA registration report
 * ({@code /reports/authenticationMethods/userRegistrationDetails}), {@code /users} (with {@code signInActivity})
 * and {@code /servicePrincipals}. Every collection follows {@code @odata.nextLink}; {@code /users} keeps Graph's
 * default page size because selecting {@code signInActivity} lowers the allowed {@code $top}.
 *
 * <p>Rules:
 * <ul>
 * <li>{@code admin} = direct or group member of Global Administrator or Privileged Role Administrator (matched by
 * role template id, stable across tenants and languages). Subscription Owner (ARM role assignments) is not
 * considered: it would cost one ARM call per subscription per scan and is an Azure RBAC, not a directory,
 * privilege.</li>
 * <li>{@code mfaEnabled} = the report's {@code isMfaRegistered}; null when the report cannot be read (401/403: no
 * {@code AuditLog.Read.All}, or no Entra ID P1 licence) or does not list the user (it skips disabled users).</li>
 * <li>{@code consoleAccess} = {@code accountEnabled} for users (members and guests alike: both can sign in to the
 * portal).</li>
 * <li>{@code lastUsedAt} = the later of {@code signInActivity.lastSignInDateTime} and
 * {@code lastNonInteractiveSignInDateTime} (a refresh-token sign-in is use too); null when never signed in or when
 * sign-in activity is not readable (403 on {@code signInActivity}: the user list is then re-read without it).</li>
 * <li>Service principals are included as {@code identity.user} with {@code consoleAccess = false},
 * {@code mfaEnabled = null}, {@code lastUsedAt = null} (sign-in activity of service principals is beta-only). Only
 * the tenant's own workload identities are reported: principals whose {@code appOwnerOrganizationId} is the
 * tenant, managed identities, and any principal holding a privileged role; first-party Microsoft and other
 * publishers' multi-tenant apps (hundreds per tenant) are skipped.</li>
 * <li>{@code enabled} = {@code accountEnabled} (users and service principals): a disabled identity cannot sign in,
 * so the sign-in rules do not judge it.</li>
 * <li>Extra attribute {@code principalType}: {@code member}, {@code guest} or {@code servicePrincipal}.</li>
 * </ul>
 * Account = tenant id, region = {@code global}; ids per {@link GraphIds}.
 */
public final class EntraPrincipals implements ResourceCollector {
    /** The Graph base type of users and service principals: both are directory objects. */
    public static final String NATIVE_TYPE = "Microsoft.Graph/directoryObjects";
    /** Graph application permissions the collector needs. */
    public static final List<String> PERMISSIONS = List.of("User.Read.All", "AuditLog.Read.All",
            "RoleManagement.Read.Directory", "GroupMember.Read.All", "Application.Read.All",
            "Organization.Read.All");
    /** Privileged directory roles by template id. */
    public static final Map<String, String> PRIVILEGED_ROLES = Map.of(
            "62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
            "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator");

    static final String USER_SELECT = "id,userPrincipalName,displayName,accountEnabled,userType";
    static final String SP_SELECT = "id,appId,displayName,accountEnabled,servicePrincipalType,appOwnerOrganizationId";
    static final String OP_USERS = "graph:users.list";
    static final String OP_SPS = "graph:servicePrincipals.list";
    static final String OP_ROLES = "graph:directoryRoles.list";
    static final String OP_MFA = "graph:userRegistrationDetails.list";

    /** The tenant: resources are keyed by it, not by the subscription of the shard (see {@link GraphIds}). */
    @Override
    public String resourceAccount(ProviderSession session, Shard shard) {
        return GraphIds.unreadAccount((AzureSession) session);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AzureSession az = (AzureSession) session;
        GraphRest graph = az.graph();
        String tenant = graph.tenantId();
        if (!GraphIds.readsTenant(az, shard, tenant)) {
            return;
        }
        Map<String, Set<String>> privileged = privilegedMembers(graph);
        Optional<Map<String, Boolean>> mfa = mfaRegistration(graph);

        for (JsonNode user : users(graph, "/v1.0/users?$select=")) {
            String id = objectId(user, OP_USERS);
            Optional<Boolean> registered = mfa.flatMap(m -> Optional.ofNullable(m.get(id.toLowerCase(Locale.ROOT))));
            sink.accept(item(tenant, GraphIds.USERS, user, registered, privileged));
        }
        graph.list("/v1.0/servicePrincipals?$top=999&$select=" + SP_SELECT, OP_SPS, sp -> {
            objectId(sp, OP_SPS);
            if (ownWorkload(sp, tenant, privileged)) {
                sink.accept(item(tenant, GraphIds.SERVICE_PRINCIPALS, sp, Optional.empty(), privileged));
            }
        });
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        GraphRest graph = ((AzureSession) session).graph();
        Optional<GraphIds.Parsed> parsed = GraphIds.parse(ref.id()).filter(p -> p.keyId().isEmpty());
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("identity.user id '" + ref.id() + "': expected "
                    + "/tenants/<tenantId>/users/<objectId> or /tenants/<tenantId>/servicePrincipals/<objectId>");
        }
        GraphIds.Parsed p = parsed.get();
        Map<String, Set<String>> privileged = privilegedMembers(graph);
        if (p.collection().equals(GraphIds.USERS)) {
            List<JsonNode> found = users(graph, "/v1.0/users/" + p.objectId() + "?$select=");
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Optional<Boolean> registered;
            try {
                registered = graph.get("/v1.0/reports/authenticationMethods/userRegistrationDetails/" + p.objectId(),
                        OP_MFA).map(r -> r.path("isMfaRegistered")).filter(JsonNode::isBoolean)
                        .map(JsonNode::booleanValue);
            } catch (GraphException e) {
                if (!e.denied()) {
                    throw e;
                }
                registered = Optional.empty();
            }
            return Optional.of(item(p.tenant(), GraphIds.USERS, found.get(0), registered, privileged));
        }
        return graph.get("/v1.0/servicePrincipals/" + p.objectId() + "?$select=" + SP_SELECT, OP_SPS)
                .filter(sp -> ownWorkload(sp, p.tenant(), privileged))
                .map(sp -> item(p.tenant(), GraphIds.SERVICE_PRINCIPALS, sp, Optional.empty(), privileged));
    }

    /**
     * Users with sign-in activity; when that is denied (it needs {@code AuditLog.Read.All} and an Entra ID P1
     * licence), the same read without it. A denial of the plain read is the shard's error.
     */
    private static List<JsonNode> users(GraphRest graph, String prefix) {
        boolean single = !prefix.startsWith("/v1.0/users?");
        List<JsonNode> out = new ArrayList<>();
        try {
            read(graph, prefix + USER_SELECT + ",signInActivity", single, out);
        } catch (GraphException e) {
            if (!e.denied()) {
                throw e;
            }
            out.clear();
            read(graph, prefix + USER_SELECT, single, out);
        }
        return out;
    }

    private static void read(GraphRest graph, String url, boolean single, List<JsonNode> out) {
        if (single) {
            graph.get(url, "graph:users.get").ifPresent(out::add);
        } else {
            graph.list(url, OP_USERS, out::add);
        }
    }

    /** Object id (lower case) → names of the privileged roles it holds, directly or through a group. */
    static Map<String, Set<String>> privilegedMembers(GraphRest graph) {
        Map<String, Set<String>> out = new HashMap<>();
        List<JsonNode> roles = new ArrayList<>();
        graph.list("/v1.0/directoryRoles?$select=id,displayName,roleTemplateId", OP_ROLES, roles::add);
        for (JsonNode role : roles) {
            String name = PRIVILEGED_ROLES.get(role.path("roleTemplateId").asText("").toLowerCase(Locale.ROOT));
            if (name == null) {
                continue;
            }
            String roleId = objectId(role, OP_ROLES);
            List<JsonNode> members = new ArrayList<>();
            graph.list("/v1.0/directoryRoles/" + roleId + "/members?$select=id", "graph:directoryRoles.members.list",
                    members::add);
            for (JsonNode m : members) {
                String memberId = objectId(m, "graph:directoryRoles.members.list");
                out.computeIfAbsent(memberId.toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(name);
                if (m.path("@odata.type").asText("").equalsIgnoreCase("#microsoft.graph.group")) {
                    graph.list("/v1.0/groups/" + memberId + "/transitiveMembers?$select=id",
                            "graph:groups.transitiveMembers.list", g -> out.computeIfAbsent(
                                    g.path("id").asText("").toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(name));
                }
            }
        }
        return out;
    }

    /** User object id (lower case) → isMfaRegistered; empty when the report is not readable (401/403). */
    static Optional<Map<String, Boolean>> mfaRegistration(GraphRest graph) {
        Map<String, Boolean> out = new HashMap<>();
        try {
            graph.list("/v1.0/reports/authenticationMethods/userRegistrationDetails", OP_MFA, r -> {
                JsonNode v = r.path("isMfaRegistered");
                if (v.isBoolean() && !r.path("id").asText("").isEmpty()) {
                    out.put(r.path("id").asText().toLowerCase(Locale.ROOT), v.booleanValue());
                }
            });
        } catch (GraphException e) {
            if (e.denied()) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(out);
    }

    private static boolean ownWorkload(JsonNode sp, String tenant, Map<String, Set<String>> privileged) {
        return sp.path("appOwnerOrganizationId").asText("").equalsIgnoreCase(tenant)
                || sp.path("servicePrincipalType").asText("").equalsIgnoreCase("ManagedIdentity")
                || privileged.containsKey(sp.path("id").asText("").toLowerCase(Locale.ROOT));
    }

    private static String objectId(JsonNode node, String operation) {
        String id = node.path("id").asText("");
        if (!node.isObject() || id.isEmpty()) {
            throw GraphRest.malformed(operation, "expected an object with an 'id' in the collection");
        }
        return id;
    }

    private static NativeItem item(String tenant, String collection, JsonNode object, Optional<Boolean> mfaRegistered,
            Map<String, Set<String>> privileged) {
        ObjectNode json = ((ObjectNode) object).deepCopy();
        String id = json.path("id").asText();
        ObjectNode cw = json.putObject("cloudwarden");
        cw.put("kind", collection.equals(GraphIds.USERS) ? "user" : "servicePrincipal");
        cw.put("tenantId", tenant);
        mfaRegistered.ifPresentOrElse(b -> cw.put("mfaRegistered", b), () -> cw.putNull("mfaRegistered"));
        ArrayNode roles = cw.putArray("privilegedRoles");
        privileged.getOrDefault(id.toLowerCase(Locale.ROOT), Set.of()).forEach(roles::add);
        return new NativeItem(GraphIds.principal(tenant, collection, id), tenant, Shard.GLOBAL, json);
    }

    /** Pure: the Graph object plus the collector's {@code cloudwarden} block → attributes. */
    public static Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        JsonNode cw = j.path("cloudwarden");
        String kind = cw.path("kind").asText("");
        if (!kind.equals("user") && !kind.equals("servicePrincipal")) {
            throw new IllegalArgumentException("identity.user item " + item.id()
                    + ": cloudwarden.kind: expected 'user' or 'servicePrincipal' but was '" + kind + "'");
        }
        boolean sp = kind.equals("servicePrincipal");
        ObjectNode a = Json.nodes().objectNode();
        JsonNode mfa = cw.path("mfaRegistered");
        if (!sp && mfa.isBoolean()) {
            a.put(Attributes.IdentityUser.MFA_ENABLED, mfa.booleanValue());
        } else {
            a.putNull(Attributes.IdentityUser.MFA_ENABLED);
        }
        a.put("admin", cw.path("privilegedRoles").isArray() && !cw.path("privilegedRoles").isEmpty());
        a.put(Attributes.IdentityUser.CONSOLE_ACCESS, !sp && Json.bool(j, "accountEnabled", false));
        a.put("enabled", Json.bool(j, "accountEnabled", true));
        Optional<Instant> last = sp ? Optional.empty() : latest(
                instant(j, "signInActivity.lastSignInDateTime"),
                instant(j, "signInActivity.lastNonInteractiveSignInDateTime"));
        last.ifPresentOrElse(t -> a.put("lastUsedAt", t.toString()), () -> a.putNull("lastUsedAt"));
        a.put("principalType", sp ? "servicePrincipal"
                : j.path("userType").asText("Member").equalsIgnoreCase("Guest") ? "guest" : "member");
        String name = sp ? Json.text(j, "displayName").or(() -> Json.text(j, "appId")).orElse("")
                : Json.text(j, "userPrincipalName").or(() -> Json.text(j, "displayName")).orElse("");
        return new Normalized(name, new TreeMap<>(), a);
    }

    public static Optional<Instant> instant(JsonNode node, String dotted) {
        Optional<String> text = Json.text(node, dotted);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(dotted + ": expected an ISO 8601 date-time but was '" + text.get()
                    + "'");
        }
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }
}
