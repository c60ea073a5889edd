package io.cloudwarden.provider.azure.storage.bucket;

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
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import java.util.Optional;

/**
 * Enforces TLS 1.2 as the minimum and HTTPS-only traffic on a storage account (one ARM PATCH with only the
 * properties that need changing). An account already at TLS 1.3 is left at 1.3. Idempotent.
 */
public final class EnforceStorageTls implements Remediator {
    @Override
    public String actionId() {
        return ResourceTypes.STORAGE_BUCKET + "/enforce-tls";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.STORAGE_BUCKET;
    }

    @Override
    public List<String> permissions() {
        return List.of("Microsoft.Storage/storageAccounts/write");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.MEDIUM;
    }

    @Override
    public String description() {
        return "Require TLS 1.2 or later and HTTPS-only traffic on the storage account";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        JsonNode attrs = current.attributes();
        ObjectNode before = Json.nodes().objectNode();
        ObjectNode after = Json.nodes().objectNode();
        ObjectNode params = Json.nodes().objectNode();
        JsonNode tls = attrs.path(Attributes.StorageBucket.MIN_TLS_VERSION);
        if (!tls.isTextual() || tls.asText().compareTo("1.2") < 0) {
            before.set(Attributes.StorageBucket.MIN_TLS_VERSION, tls.isMissingNode() ? Json.nodes().nullNode() : tls);
            after.put(Attributes.StorageBucket.MIN_TLS_VERSION, "1.2");
            params.put("minimumTlsVersion", "TLS1_2");
        }
        if (!attrs.path("httpsOnly").asBoolean(false)) {
            before.put("httpsOnly", false);
            after.put("httpsOnly", true);
            params.put("supportsHttpsTrafficOnly", true);
        }
        if (after.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PlannedChange("Require TLS 1.2 and HTTPS only on " + current.name(), before, after,
                params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        ObjectNode body = Json.nodes().objectNode();
        ObjectNode props = body.putObject("properties");
        props.setAll((ObjectNode) plan.params());
        if (props.isEmpty()) {
            return;
        }
        ((AzureSession) session).arm().write(HttpMethod.PATCH, plan.resource().id(), StorageAccounts.API, body,
                "Microsoft.Storage/storageAccounts/write");
    }
}
