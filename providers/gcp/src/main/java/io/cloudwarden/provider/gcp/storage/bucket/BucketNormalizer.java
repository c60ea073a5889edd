package io.cloudwarden.provider.gcp.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.Labels;
import java.util.Set;

/**
 * GCS bucket → {@code storage.bucket}.
 * <ul>
 * <li>{@code publicAccess}: some IAM binding grants a role to {@code allUsers} or {@code allAuthenticatedUsers},
 * unless public access prevention is {@code enforced} (which makes such bindings ineffective). Legacy object ACLs are
 * not considered.</li>
 * <li>{@code encryption}: GCS always encrypts; {@code customer-managed} when {@code encryption.defaultKmsKeyName} is
 * set.</li>
 * <li>{@code versioning}: {@code versioning.enabled}; {@code logging}: a {@code logging.logBucket} is set;
 * {@code minTlsVersion}: null (GCS has no per-bucket TLS setting).</li>
 * </ul>
 */
public final class BucketNormalizer implements ResourceNormalizer {
    public static final Set<String> PUBLIC_MEMBERS = Set.of("allUsers", "allAuthenticatedUsers");

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode data = AssetJson.data(item.json());
        ObjectNode a = ModelJson.mapper().createObjectNode();
        boolean enforced = isPreventionEnforced(data);
        a.put(Attributes.StorageBucket.PUBLIC_ACCESS, !enforced && grantsPublic(item.json().path("iamPolicy")));
        ObjectNode enc = a.putObject("encryption");
        enc.put("enabled", true);
        enc.put("keyType", data.path("encryption").path("defaultKmsKeyName").asText("").isEmpty()
                ? "provider-managed" : "customer-managed");
        a.put("versioning", data.path("versioning").path("enabled").asBoolean(false));
        a.putNull(Attributes.StorageBucket.MIN_TLS_VERSION);
        a.put("logging", !data.path("logging").path("logBucket").asText("").isEmpty());
        return new Normalized(data.path("name").asText(""), Labels.of(data.path("labels")), a);
    }

    public static boolean isPreventionEnforced(JsonNode bucketData) {
        return "enforced".equalsIgnoreCase(
                bucketData.path("iamConfiguration").path("publicAccessPrevention").asText(""));
    }

    /** True when any binding of the policy JSON names a public member. */
    public static boolean grantsPublic(JsonNode policy) {
        for (JsonNode b : policy.path("bindings")) {
            for (JsonNode m : b.path("members")) {
                if (PUBLIC_MEMBERS.contains(m.asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
