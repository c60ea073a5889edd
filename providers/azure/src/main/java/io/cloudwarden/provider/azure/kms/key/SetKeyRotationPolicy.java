package io.cloudwarden.provider.azure.kms.key;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.ArmId;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Sets a Key Vault key rotation policy: rotate {@value #ROTATE_AFTER} after creation, notify
 * {@value #NOTIFY_BEFORE} before expiry, keys expire after {@value #EXPIRY}. ARM cannot update an existing key's
 * policy (its key PUT only creates), so apply uses the Key Vault data plane {@code PUT {vault}/keys/{name}/
 * rotationpolicy} (api-version 7.4), a full replace of the policy, so it is idempotent.
 */
public final class SetKeyRotationPolicy implements Remediator {
    static final String ROTATE_AFTER = "P90D";
    static final String NOTIFY_BEFORE = "P30D";
    static final String EXPIRY = "P2Y";
    static final String VAULT_API = "7.4";

    @Override
    public String actionId() {
        return ResourceTypes.KMS_KEY + "/enable-rotation";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.KMS_KEY;
    }

    /**
     * The Key Vault RBAC data action covering rotation-policy writes (role "Key Vault Crypto Officer"); with the
     * access-policy model the key permission is {@code setrotationpolicy}.
     */
    @Override
    public List<String> permissions() {
        return List.of("Microsoft.KeyVault/vaults/keys/update/action");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.LOW;
    }

    @Override
    public String description() {
        return "Rotate the key every 90 days (Key Vault rotation policy)";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        JsonNode attrs = current.attributes();
        if (attrs.path(Attributes.KmsKey.ROTATION_ENABLED).asBoolean(false)) {
            return Optional.empty();
        }
        ObjectNode before = Json.nodes().objectNode();
        before.put(Attributes.KmsKey.ROTATION_ENABLED, false);
        before.set(Attributes.KmsKey.ROTATION_PERIOD_DAYS, attrs.path(Attributes.KmsKey.ROTATION_PERIOD_DAYS).isMissingNode() ? Json.nodes().nullNode()
                : attrs.path(Attributes.KmsKey.ROTATION_PERIOD_DAYS));
        ObjectNode after = Json.nodes().objectNode();
        after.put(Attributes.KmsKey.ROTATION_ENABLED, true);
        after.put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, 90);
        ObjectNode params = Json.nodes().objectNode();
        String keyUri = Json.text(current.raw(), "properties.keyUri").orElse("");
        params.put("keyUri", keyUri);
        params.put("vaultName", vaultName(current.id()));
        params.put("keyName", current.name().isEmpty() ? ArmId.name(current.id()) : current.name());
        return Optional.of(new PlannedChange("Set a 90-day rotation policy on key " + params.path("keyName").asText(),
                before, after, params));
    }

    static String vaultName(String keyArmId) {
        return ArmId.name(ArmId.parent(keyArmId, "keys"));
    }

    static ObjectNode policy() {
        ObjectNode body = Json.nodes().objectNode();
        var actions = body.putArray("lifetimeActions");
        ObjectNode rotate = actions.addObject();
        rotate.putObject("trigger").put("timeAfterCreate", ROTATE_AFTER);
        rotate.putObject("action").put("type", "Rotate");
        ObjectNode notify = actions.addObject();
        notify.putObject("trigger").put("timeBeforeExpiry", NOTIFY_BEFORE);
        notify.putObject("action").put("type", "Notify");
        body.putObject("attributes").put("expiryTime", EXPIRY);
        return body;
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        AzureSession az = (AzureSession) session;
        String keyUri = plan.params().path("keyUri").asText("");
        String vaultName = plan.params().path("vaultName").asText();
        String vaultUri = keyUri.isEmpty() ? "https://" + vaultName + ".vault.azure.net"
                : URI.create(keyUri).resolve("/").toString();
        String url = az.vaultBaseUrl(vaultName, vaultUri) + "/keys/" + plan.params().path("keyName").asText()
                + "/rotationpolicy?api-version=" + VAULT_API;
        az.vault().writeUrl(HttpMethod.PUT, url, policy(), "Microsoft.KeyVault/vaults/keys/update/action");
    }
}
