package io.cloudwarden.provider.azure.storage.bucket;

import com.azure.core.http.HttpMethod;
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
 * Sets {@code allowBlobPublicAccess=false} on a storage account (one ARM PATCH). This overrides every container's
 * public level without touching the containers, and is idempotent: PATCHing the same value again is a no-op.
 */
public final class BlockBlobPublicAccess implements Remediator {
    @Override
    public String actionId() {
        return ResourceTypes.STORAGE_BUCKET + "/block-public-access";
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
        return "Disallow anonymous blob access on the storage account (allowBlobPublicAccess=false)";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        boolean allowed = Json.bool(current.raw(), "properties.allowBlobPublicAccess", false);
        if (!current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).asBoolean(false) && !allowed) {
            return Optional.empty();
        }
        ObjectNode before = Json.nodes().objectNode();
        before.put(Attributes.StorageBucket.PUBLIC_ACCESS, current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).asBoolean(false));
        ObjectNode after = Json.nodes().objectNode();
        after.put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
        ObjectNode params = Json.nodes().objectNode();
        params.put("allowBlobPublicAccessBefore", allowed);
        return Optional.of(new PlannedChange("Set allowBlobPublicAccess=false on " + current.name(), before, after,
                params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        ObjectNode body = Json.nodes().objectNode();
        body.putObject("properties").put("allowBlobPublicAccess", false);
        ((AzureSession) session).arm().write(HttpMethod.PATCH, plan.resource().id(), StorageAccounts.API, body,
                "Microsoft.Storage/storageAccounts/write");
    }
}
