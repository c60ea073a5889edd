package io.cloudwarden.provider.gcp.storage.bucket;

import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.session.Cai;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code storage.bucket} on GCP: Cloud Storage buckets (id = the CAI name {@code //storage.googleapis.com/BUCKET}). */
public final class StorageBucket implements GcpType {
    private static final String STORAGE = "storage.googleapis.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.STORAGE_BUCKET, GcpIds.BUCKET_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                List.of(Cai.USE, Cai.LIST, Cai.LIST_IAM, "storage.buckets.get", "storage.buckets.getIamPolicy"),
                new BucketCollector(), new BucketNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of(STORAGE, "storage.buckets.create", "storage.buckets.delete", "storage.buckets.update",
                "storage.setIamPermissions");
    }

    /** Bucket methods and IAM changes on a bucket (not on one of its objects). */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        String m = entry.method();
        if (!m.startsWith("storage.buckets.") && !m.equals("storage.setIamPermissions")) {
            return Optional.empty();
        }
        return GcpIds.segment(entry.resourceName(), "buckets").filter(b -> !entry.resourceName().contains("/objects/"))
                .map(b -> new Target(GcpIds.bucket(b), ""));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new BucketBlockPublicAccess());
    }

    /** The bucket; IAM members, bindings and policies fold into its {@code publicAccess}. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_storage_bucket", "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding",
                "google_storage_bucket_iam_policy");
    }
}
