package io.cloudwarden.provider.gcp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.asset.v1.Asset;
import com.google.cloud.asset.v1.BatchGetAssetsHistoryRequest;
import com.google.cloud.asset.v1.BatchGetAssetsHistoryResponse;
import com.google.cloud.asset.v1.ContentType;
import com.google.cloud.asset.v1.ListAssetsRequest;
import com.google.cloud.asset.v1.TemporalAsset;
import io.cloudwarden.provider.gcp.AssetJson;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Cloud Asset Inventory reads shared by the collectors: paged ListAssets and a current BatchGetAssetsHistory. */
public final class Cai {
    public static final String LIST_OPERATION = "cloudasset:ListAssets";
    public static final String HISTORY_OPERATION = "cloudasset:BatchGetAssetsHistory";
    /** The IAM permissions of these reads, which the types' descriptors declare. */
    public static final String LIST = "cloudasset.assets.listResource";
    public static final String LIST_IAM = "cloudasset.assets.listIamPolicy";
    public static final String HISTORY = "cloudasset.assets.exportResource";
    /** Every Cloud Asset Inventory call also needs this on the quota project. */
    public static final String USE = "serviceusage.services.use";

    private Cai() {
    }

    /**
     * Streams every asset of {@code assetType} in {@code projects/PROJECT} (all locations) as asset JSON, following
     * page tokens with the client's own paged response.
     */
    public static void list(GcpSession session, String project, String assetType, ContentType contentType,
            Consumer<ObjectNode> sink) {
        listUnder(session, "projects/" + project, assetType, contentType, sink);
    }

    /** As {@link #list} under any CAI scope: {@code projects/P}, {@code folders/F} or {@code organizations/O}. */
    public static void listUnder(GcpSession session, String parent, String assetType, ContentType contentType,
            Consumer<ObjectNode> sink) {
        ListAssetsRequest request = ListAssetsRequest.newBuilder()
                .setParent(parent)
                .addAssetTypes(assetType)
                .setContentType(contentType)
                .setPageSize(session.settings().pageSize())
                .build();
        try {
            for (Asset asset : session.asset().listAssets(request).iterateAll()) {
                sink.accept(AssetJson.fromProto(asset));
            }
        } catch (RuntimeException e) {
            throw GcpErrors.map(LIST_OPERATION + "(" + assetType + ", " + contentType + ", " + parent + ")", e);
        }
    }

    /** Asset name → its IAM policy JSON, for the assets of a type that have one. */
    public static Map<String, JsonNode> iamPolicies(GcpSession session, String project, String assetType) {
        Map<String, JsonNode> policies = new HashMap<>();
        list(session, project, assetType, ContentType.IAM_POLICY, a -> {
            if (a.has("iamPolicy")) {
                policies.put(a.path("name").asText(), a.get("iamPolicy"));
            }
        });
        return policies;
    }

    /**
     * Roles each member holds on the project ({@code serviceAccount:EMAIL} → roles), from the project's IAM policy.
     */
    public static Map<String, Set<String>> projectRoles(GcpSession session, String project) {
        Map<String, Set<String>> roles = new HashMap<>();
        list(session, project, io.cloudwarden.provider.gcp.GcpIds.PROJECT_TYPE, ContentType.IAM_POLICY, a -> {
            for (JsonNode binding : a.path("iamPolicy").path("bindings")) {
                String role = binding.path("role").asText();
                for (JsonNode member : binding.path("members")) {
                    roles.computeIfAbsent(member.asText(), k -> new LinkedHashSet<>()).add(role);
                }
            }
        });
        return roles;
    }



    /**
     * The current state of one asset by its full name (BatchGetAssetsHistory without a time window returns the
     * snapshot at the current time); empty when the asset does not exist or was deleted.
     */
    public static Optional<ObjectNode> current(GcpSession session, String project, String assetName) {
        BatchGetAssetsHistoryRequest request = BatchGetAssetsHistoryRequest.newBuilder()
                .setParent("projects/" + project)
                .addAssetNames(assetName)
                .setContentType(ContentType.RESOURCE)
                .build();
        try {
            BatchGetAssetsHistoryResponse response = session.asset().batchGetAssetsHistory(request);
            TemporalAsset latest = null;
            for (TemporalAsset t : response.getAssetsList()) {
                if (latest == null || t.getWindow().getStartTime().getSeconds()
                        >= latest.getWindow().getStartTime().getSeconds()) {
                    latest = t;
                }
            }
            if (latest == null || latest.getDeleted()) {
                return Optional.empty();
            }
            return Optional.of(AssetJson.fromProto(latest.getAsset()));
        } catch (RuntimeException e) {
            // BatchGetAssetsHistory answers INVALID_ARGUMENT (not NOT_FOUND) for an asset name it does not know;
            // the name is built from a ref in the CAI scheme, so that means the resource is gone
            if (GcpErrors.isNotFound(e) || e instanceof com.google.api.gax.rpc.InvalidArgumentException) {
                return Optional.empty();
            }
            throw GcpErrors.map(HISTORY_OPERATION + "(" + assetName + ")", e);
        }
    }
}
