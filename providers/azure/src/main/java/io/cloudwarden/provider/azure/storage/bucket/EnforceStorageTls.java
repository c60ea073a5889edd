package io.cloudwarden.provider.azure.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import java.util.Optional;

/**
 * Enforces TLS 1.2 as the minimum and HTTPS-only traffic on a storage account (one ARM PATCH with only the
 * properties that need changing). An account already at TLS 1.3 is left at 1.3. Idempotent.
 */
public final class EnforceStorageTls extends AccountPropertiesPatch {
    @Override
    public String actionId() {
        return ResourceTypes.STORAGE_BUCKET + "/enforce-tls";
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

    /** The properties the plan found wrong ({@code minimumTlsVersion}, {@code supportsHttpsTrafficOnly}). */
    @Override
    ObjectNode properties(RemediationPlan plan) {
        return ((ObjectNode) plan.params()).deepCopy();
    }
}
