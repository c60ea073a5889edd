package io.cloudwarden.provider.azure.storage.bucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import java.util.Optional;

/**
 * Sets {@code allowBlobPublicAccess=false} on a storage account (one ARM PATCH). This overrides every container's
 * public level without touching the containers, and is idempotent: PATCHing the same value again is a no-op.
 */
public final class BlockBlobPublicAccess extends AccountPropertiesPatch {
    @Override
    public String actionId() {
        return ResourceTypes.STORAGE_BUCKET + "/block-public-access";
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
    ObjectNode properties(RemediationPlan plan) {
        return Json.nodes().objectNode().put("allowBlobPublicAccess", false);
    }
}
