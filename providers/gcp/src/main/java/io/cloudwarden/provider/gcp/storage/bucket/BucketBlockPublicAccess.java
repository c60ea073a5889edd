package io.cloudwarden.provider.gcp.storage.bucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Binding;
import com.google.cloud.Policy;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code storage.bucket/block-public-access}: removes every {@code allUsers}/{@code allAuthenticatedUsers} member
 * from the bucket IAM policy (read-modify-write guarded by the policy etag) and sets public access prevention to
 * {@code enforced}. Each step is skipped when already in place, so a second apply changes nothing.
 */
public final class BucketBlockPublicAccess implements Remediator {
    @Override
    public String actionId() {
        return "storage.bucket/block-public-access";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.STORAGE_BUCKET;
    }

    @Override
    public List<String> permissions() {
        return List.of("storage.buckets.get", "storage.buckets.getIamPolicy", "storage.buckets.setIamPolicy",
                "storage.buckets.update");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.MEDIUM;
    }

    @Override
    public String description() {
        return "Remove allUsers/allAuthenticatedUsers from the bucket IAM policy and enforce public access prevention";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (!current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).asBoolean(false)) {
            return Optional.empty();
        }
        ObjectNode before = ModelJson.mapper().createObjectNode().put(Attributes.StorageBucket.PUBLIC_ACCESS, true);
        ObjectNode after = ModelJson.mapper().createObjectNode().put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
        ObjectNode params = ModelJson.mapper().createObjectNode().put("bucket", GcpIds.relative(current.id()));
        return Optional.of(new PlannedChange("Remove public members and enforce public access prevention on "
                + GcpIds.relative(current.id()), before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        String bucket = plan.params().path("bucket").asText("");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("plan.params.bucket: expected the bucket name");
        }
        Storage storage = ((GcpSession) session).storage();
        try {
            Policy policy = storage.getIamPolicy(bucket);
            List<Binding> kept = new ArrayList<>();
            boolean changed = false;
            for (Binding b : policy.getBindingsList()) {
                List<String> members = b.getMembers().stream()
                        .filter(m -> !BucketNormalizer.PUBLIC_MEMBERS.contains(m)).toList();
                changed |= members.size() != b.getMembers().size();
                if (!members.isEmpty()) {
                    kept.add(b.toBuilder().setMembers(members).build());
                }
            }
            if (changed) {
                storage.setIamPolicy(bucket, policy.toBuilder().setBindings(kept).build());
            }
            BucketInfo info = storage.get(bucket);
            if (info == null) {
                throw new IllegalStateException("bucket " + bucket + " no longer exists");
            }
            BucketInfo.IamConfiguration iam = info.getIamConfiguration();
            if (iam == null || iam.getPublicAccessPrevention() != BucketInfo.PublicAccessPrevention.ENFORCED) {
                BucketInfo.IamConfiguration.Builder nb = iam == null ? BucketInfo.IamConfiguration.newBuilder()
                        : iam.toBuilder();
                storage.update(BucketInfo.newBuilder(bucket).setIamConfiguration(
                        nb.setPublicAccessPrevention(BucketInfo.PublicAccessPrevention.ENFORCED).build()).build());
            }
        } catch (RuntimeException e) {
            throw GcpErrors.map("storage:blockPublicAccess(" + bucket + ")", e);
        }
    }
}
