package io.cloudwarden.provider.azure.storage.bucket;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;

/**
 * What the storage-account remediators share: each is one ARM PATCH of some account {@code properties} (idempotent:
 * PATCHing the same values again is a no-op), needs only {@code storageAccounts/write} and is of medium risk. A
 * subclass says which properties its plan sets.
 */
abstract class AccountPropertiesPatch implements Remediator {
    static final String WRITE = "Microsoft.Storage/storageAccounts/write";

    /** The account properties to PATCH for this plan; empty = nothing to send. */
    abstract ObjectNode properties(RemediationPlan plan);

    @Override
    public final String appliesTo() {
        return ResourceTypes.STORAGE_BUCKET;
    }

    @Override
    public final List<String> permissions() {
        return List.of(WRITE);
    }

    @Override
    public final RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.MEDIUM;
    }

    @Override
    public final void apply(ProviderSession session, RemediationPlan plan) {
        ObjectNode properties = properties(plan);
        if (properties.isEmpty()) {
            return;
        }
        ObjectNode body = Json.nodes().objectNode();
        body.set("properties", properties);
        ((AzureSession) session).arm().write(HttpMethod.PATCH, plan.resource().id(), StorageAccounts.API, body, WRITE);
    }
}
