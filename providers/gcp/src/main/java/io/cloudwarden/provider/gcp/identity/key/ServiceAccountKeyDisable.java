package io.cloudwarden.provider.gcp.identity.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpResponseException;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code identity.key/deactivate}: {@code POST https://iam.googleapis.com/v1/{name}:disable} for a user-managed service
 * account key (reversible with {@code :enable}; the key is not deleted). IAM has no REST-capable Java client here, so
 * the call goes through the Google HTTP client with the session's credentials. Disabling a disabled key succeeds.
 */
public final class ServiceAccountKeyDisable implements Remediator {
    @Override
    public String actionId() {
        return "identity.key/deactivate";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.IDENTITY_KEY;
    }

    @Override
    public List<String> permissions() {
        return List.of("iam.serviceAccountKeys.disable");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.HIGH;
    }

    @Override
    public String description() {
        return "Disable a user-managed service account key (reversible; the key is kept)";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (!current.attributes().path("active").asBoolean(false)) {
            return Optional.empty();
        }
        String keyName = AssetJson.data(current.raw()).path("name").asText("");
        if (keyName.isEmpty()) {
            throw new IllegalArgumentException("resource.raw.resource.data.name: expected the key's IAM name "
                    + "projects/P/serviceAccounts/EMAIL/keys/ID for " + current.id());
        }
        ObjectNode before = ModelJson.mapper().createObjectNode().put("active", true);
        ObjectNode after = ModelJson.mapper().createObjectNode().put("active", false);
        ObjectNode params = ModelJson.mapper().createObjectNode().put("keyName", keyName);
        return Optional.of(new PlannedChange("Disable service account key " + keyName, before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        String keyName = plan.params().path("keyName").asText("");
        if (!keyName.matches("projects/[^/]+/serviceAccounts/[^/]+/keys/[^/]+")) {
            throw new IllegalArgumentException("plan.params.keyName: expected projects/P/serviceAccounts/EMAIL/keys/ID"
                    + " but was '" + keyName + "'");
        }
        GcpSession gcp = (GcpSession) session;
        GenericUrl url = new GenericUrl(gcp.iamRoot() + "/v1/" + keyName + ":disable");
        try {
            gcp.execute(gcp.iamHttp().buildPostRequest(url, ByteArrayContent.fromString("application/json", "{}")),
                    "iam").disconnect();
        } catch (HttpResponseException e) {
            throw GcpErrors.map("iam:serviceAccounts.keys.disable(" + keyName + ")", e);
        } catch (IOException e) {
            throw GcpErrors.map("iam:serviceAccounts.keys.disable(" + keyName + ")", e);
        }
    }
}
