package io.cloudwarden.provider.azure.identity.key;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.cloudwarden.provider.azure.identity.user.EntraPrincipals;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.session.GraphRest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * App registration credentials → {@code identity.key}: one resource per entry of an application's
 * {@code passwordCredentials} (client secrets) and {@code keyCredentials} (certificates), from
 * {@code GET /v1.0/applications} (paged with {@code @odata.nextLink}).
 *
 * <p>Rules: {@code active} = the read time is within {@code startDateTime} .. {@code endDateTime} (no end = never
 * expires); {@code createdAt} = {@code startDateTime} (Graph keeps no separate creation time for a credential);
 * {@code ageDays} = whole days from it to the read time (never negative for future-dated credentials);
 * {@code lastUsedAt} = null: Graph exposes credential use only through the beta
 * {@code servicePrincipalSignInActivities} / sign-in log queries, too costly per key and not in v1.0;
 * {@code owner} = the application's {@code appId} (its client id: stable, unlike the display name, which goes into
 * the resource name {@code <app displayName>/<credential displayName or keyId>}). Extra attribute
 * {@code credentialType}: {@code password} or {@code certificate}.
 *
 * <p>Secrets: Graph never returns {@code secretText} on reads, but the password {@code hint} (the secret's first
 * characters) and the certificate's public {@code key} are dropped from the kept JSON anyway. The item JSON carries
 * the read time ({@code cloudwarden.observedAt}) so the normalizer stays pure.
 */
public final class AppCredentials implements ResourceCollector {
    public static final String NATIVE_TYPE = "Microsoft.Graph/applications/credentials";
    public static final List<String> PERMISSIONS = List.of("Application.Read.All", "Organization.Read.All");
    static final String SELECT = "id,appId,displayName,passwordCredentials,keyCredentials";
    static final String OP_APPS = "graph:applications.list";
    private static final List<String> DROPPED = List.of("secretText", "hint", "key");
    /** Graph collection property → {@code credentialType}. */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("passwordCredentials", "password"), Map.entry("keyCredentials", "certificate"));

    private final Clock clock;

    public AppCredentials() {
        this(Clock.systemUTC());
    }

    public AppCredentials(Clock clock) {
        this.clock = clock;
    }

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
        Instant now = clock.instant();
        graph.list("/v1.0/applications?$top=999&$select=" + SELECT, OP_APPS,
                app -> credentials(tenant, app, now, OP_APPS).forEach(sink));
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        Optional<GraphIds.Parsed> parsed = GraphIds.parse(ref.id()).filter(p -> p.keyId().isPresent());
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("identity.key id '" + ref.id()
                    + "': expected /tenants/<tenantId>/applications/<objectId>/credentials/<keyId>");
        }
        GraphIds.Parsed p = parsed.get();
        GraphRest graph = ((AzureSession) session).graph();
        Instant now = clock.instant();
        return graph.get("/v1.0/applications/" + p.objectId() + "?$select=" + SELECT, "graph:applications.get")
                .flatMap(app -> credentials(p.tenant(), app, now, "graph:applications.get").stream()
                        .filter(i -> i.json().path("keyId").asText().equalsIgnoreCase(p.keyId().get()))
                        .findFirst());
    }

    static List<NativeItem> credentials(String tenant, JsonNode app, Instant now, String operation) {
        String appObjectId = app.path("id").asText("");
        if (!app.isObject() || appObjectId.isEmpty()) {
            throw GraphRest.malformed(operation, "expected an application object with an 'id'");
        }
        List<NativeItem> out = new ArrayList<>();
        for (Map.Entry<String, String> kind : KINDS) {
            for (JsonNode credential : Json.array(app.path(kind.getKey()))) {
                String keyId = credential.path("keyId").asText("");
                if (!credential.isObject() || keyId.isEmpty()) {
                    throw GraphRest.malformed(operation, "application " + appObjectId + ": expected a 'keyId' on each "
                            + kind.getKey() + " entry");
                }
                ObjectNode json = ((ObjectNode) credential).deepCopy();
                DROPPED.forEach(json::remove);
                ObjectNode cw = json.putObject("cloudwarden");
                cw.put("credentialType", kind.getValue());
                cw.put("tenantId", tenant);
                cw.put("observedAt", now.toString());
                ObjectNode owner = cw.putObject("application");
                owner.put("id", appObjectId);
                owner.put("appId", app.path("appId").asText(""));
                owner.put("displayName", app.path("displayName").asText(""));
                out.add(new NativeItem(GraphIds.credential(tenant, appObjectId, keyId), tenant, Shard.GLOBAL, json));
            }
        }
        return out;
    }

    /** Pure: credential JSON + {@code cloudwarden} block (read time, owning application) → attributes. */
    public static Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        JsonNode cw = j.path("cloudwarden");
        Instant observed = EntraPrincipals.instant(cw, "observedAt").orElseThrow(() -> new IllegalArgumentException(
                "identity.key item " + item.id() + ": cloudwarden.observedAt: expected the read time"));
        Instant start = EntraPrincipals.instant(j, "startDateTime").orElseThrow(() -> new IllegalArgumentException(
                "identity.key item " + item.id() + ": startDateTime: expected an ISO 8601 date-time"));
        Optional<Instant> end = EntraPrincipals.instant(j, "endDateTime");
        ObjectNode a = Json.nodes().objectNode();
        a.put("active", !observed.isBefore(start) && end.map(observed::isBefore).orElse(true));
        a.put("createdAt", start.toString());
        a.put(Attributes.IdentityKey.AGE_DAYS, (int) Math.max(0, Duration.between(start, observed).toDays()));
        a.putNull("lastUsedAt");
        JsonNode app = cw.path("application");
        a.put("owner", Json.text(app, "appId").or(() -> Json.text(app, "id")).orElse(""));
        a.put("credentialType", cw.path("credentialType").asText(""));
        String appName = Json.text(app, "displayName").or(() -> Json.text(app, "appId")).orElse("");
        String keyName = Json.text(j, "displayName").orElse(j.path("keyId").asText(""));
        return new Normalized(appName + "/" + keyName, Map.of(), a);
    }
}
