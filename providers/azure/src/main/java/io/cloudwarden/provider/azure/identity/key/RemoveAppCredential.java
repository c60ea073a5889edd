package io.cloudwarden.provider.azure.identity.key;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.GraphRest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code identity.key/deactivate} for an Entra application credential (the action id AWS uses for access keys and GCP
 * for service account keys). Entra has no "inactive" state for a credential, so deactivating it means removing it:
 * <ul>
 * <li>a client secret: {@code POST /v1.0/applications/{id}/removePassword} with its {@code keyId};</li>
 * <li>a certificate: {@code PATCH /v1.0/applications/{id}} with {@code keyCredentials} minus this one. Graph's
 * {@code removeKey} needs a proof-of-possession token signed by one of the application's own keys, which Cloudwarden
 * never holds, so the collection is rewritten instead: it is read with {@code $select=keyCredentials} on the single
 * application (the only read that returns the other certificates' public {@code key} data, without which the PATCH
 * would drop them; apply refuses when any is missing).</li>
 * </ul>
 * Idempotent: apply first re-reads the application; a credential (or application) already gone is a no-op. Verified by
 * the executor's re-read of the credential through the application ({@link #removesResource()}: absent = removed).
 *
 * <p>Revert: the plan keeps the credential's metadata ({@code displayName}, validity, certificate thumbprint, type and
 * usage). A secret's value is never readable from Graph, so a removed secret cannot be restored: reverting means
 * {@code addPassword} (a new secret, to be handed to every client of the application). A certificate is restored by
 * adding the same public certificate again (its thumbprint is in the plan).
 *
 * <p>Permission: the Graph application permission {@code Application.ReadWrite.All}. {@code Application.ReadWrite.OwnedBy}
 * is Graph's least-privileged choice but reaches only applications that list Cloudwarden's identity as an owner,
 * i.e. none of the estate's applications unless someone made it owner of each.
 */
public final class RemoveAppCredential implements Remediator {
    public static final String GRAPH_PERMISSION = "Application.ReadWrite.All";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
            + "-[0-9a-fA-F]{12}");
    private static final List<String> KEPT = List.of("displayName", "startDateTime", "endDateTime",
            "customKeyIdentifier", "type", "usage");

    @Override
    public String actionId() {
        return ResourceTypes.IDENTITY_KEY + "/deactivate";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.IDENTITY_KEY;
    }

    @Override
    public List<String> permissions() {
        return List.of(GRAPH_PERMISSION);
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.HIGH;
    }

    @Override
    public String description() {
        return "Remove an Entra application's client secret or certificate (a secret cannot be restored: revert issues "
                + "a new one)";
    }

    @Override
    public boolean removesResource() {
        return true;
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (!current.attributes().path("active").asBoolean(false)) {
            return Optional.empty(); // expired or not yet valid: nothing can sign in with it
        }
        JsonNode raw = current.raw();
        String app = raw.path("cloudwarden").path("application").path("id").asText("");
        String keyId = raw.path("keyId").asText("");
        String type = raw.path("cloudwarden").path("credentialType").asText("");
        require(GUID.matcher(app).matches(), "resource.raw.cloudwarden.application.id",
                "the application's object id (a GUID)", app, current.id());
        require(GUID.matcher(keyId).matches(), "resource.raw.keyId", "the credential's keyId (a GUID)", keyId,
                current.id());
        require(type.equals("password") || type.equals("certificate"), "resource.raw.cloudwarden.credentialType",
                "'password' or 'certificate'", type, current.id());
        ObjectNode params = Json.nodes().objectNode();
        params.put("applicationObjectId", app);
        params.put("keyId", keyId);
        params.put("credentialType", type);
        ObjectNode revert = params.putObject("revert");
        KEPT.forEach(f -> {
            if (raw.hasNonNull(f)) {
                revert.set(f, raw.get(f));
            }
        });
        revert.put("appId", raw.path("cloudwarden").path("application").path("appId").asText(""));
        revert.put("how", type.equals("password")
                ? "A client secret's value cannot be restored (Graph never returns it): revert with POST "
                        + "/applications/" + app + "/addPassword, which issues a NEW secret that every client of the "
                        + "application must be given."
                : "Add the same public certificate (thumbprint customKeyIdentifier) back with PATCH /applications/"
                        + app + " keyCredentials (the existing ones included).");
        ObjectNode before = Json.nodes().objectNode().put("active", true);
        ObjectNode after = Json.nodes().objectNode().put("active", false);
        String what = type.equals("password") ? "client secret" : "certificate";
        return Optional.of(new PlannedChange("Remove " + what + " " + keyId + " of application " + current.name()
                .replaceFirst("/[^/]*$", "") + " (" + raw.path("cloudwarden").path("application").path("appId")
                .asText("") + ")", before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        JsonNode p = plan.params();
        String app = p.path("applicationObjectId").asText("");
        String keyId = p.path("keyId").asText("");
        String type = p.path("credentialType").asText("");
        require(GUID.matcher(app).matches(), "plan.params.applicationObjectId", "a GUID", app, plan.id());
        require(GUID.matcher(keyId).matches(), "plan.params.keyId", "a GUID", keyId, plan.id());
        GraphRest graph = ((AzureSession) session).graph();
        switch (type) {
            case "password" -> {
                Optional<JsonNode> current = graph.get("/v1.0/applications/" + app
                        + "?$select=id,passwordCredentials", "graph:applications.get");
                if (current.isEmpty() || !holds(current.get().path("passwordCredentials"), keyId)) {
                    return; // already removed, or the application with it
                }
                graph.write(HttpMethod.POST, "/v1.0/applications/" + app + "/removePassword",
                        Json.nodes().objectNode().put("keyId", keyId), "graph:applications.removePassword");
            }
            case "certificate" -> {
                Optional<JsonNode> current = graph.get("/v1.0/applications/" + app + "?$select=keyCredentials",
                        "graph:applications.get");
                if (current.isEmpty() || !holds(current.get().path("keyCredentials"), keyId)) {
                    return;
                }
                ArrayNode kept = Json.nodes().arrayNode();
                for (JsonNode c : current.get().path("keyCredentials")) {
                    if (c.path("keyId").asText("").equalsIgnoreCase(keyId)) {
                        continue;
                    }
                    if (!c.hasNonNull("key")) {
                        throw new IllegalStateException("graph:applications.get(" + app + "): certificate "
                                + c.path("keyId").asText("") + " came back without its 'key' data; rewriting "
                                + "keyCredentials without it would remove it too, so nothing was changed");
                    }
                    kept.add(c);
                }
                ObjectNode body = Json.nodes().objectNode();
                body.set("keyCredentials", kept);
                graph.write(HttpMethod.PATCH, "/v1.0/applications/" + app, body, "graph:applications.update");
            }
            default -> throw new IllegalArgumentException("plan.params.credentialType: expected 'password' or "
                    + "'certificate' but was '" + type + "' in plan " + plan.id());
        }
    }

    private static boolean holds(JsonNode credentials, String keyId) {
        for (JsonNode c : Json.array(credentials)) {
            if (c.path("keyId").asText("").equalsIgnoreCase(keyId)) {
                return true;
            }
        }
        return false;
    }

    private static void require(boolean ok, String field, String expected, String actual, String subject) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + " but was '" + actual + "' ("
                    + subject + ")");
        }
    }
}
