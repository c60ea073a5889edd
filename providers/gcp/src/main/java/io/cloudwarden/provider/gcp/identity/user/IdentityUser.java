package io.cloudwarden.provider.gcp.identity.user;

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

/** {@code identity.user} on GCP: service accounts (global; id = the CAI name, by unique id). */
public final class IdentityUser implements GcpType {
    static final String IAM = "iam.googleapis.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_USER, GcpIds.SERVICE_ACCOUNT_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), List.of(Cai.USE, Cai.LIST, Cai.LIST_IAM, Cai.HISTORY),
                new ServiceAccountCollector(), new ServiceAccountNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of(IAM, "google.iam.admin.v1.CreateServiceAccount", "google.iam.admin.v1.DeleteServiceAccount",
                "google.iam.admin.v1.DisableServiceAccount", "google.iam.admin.v1.EnableServiceAccount",
                "google.iam.admin.v1.PatchServiceAccount");
    }

    /** Methods whose verb ends in {@code ServiceAccount}. */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        if (!verb(entry).endsWith("ServiceAccount")) {
            return Optional.empty();
        }
        return accountOf(entry).map(a -> new Target(GcpIds.serviceAccount(entry.project(), a), GcpIds.GLOBAL));
    }

    /** {@code google.iam.admin.v1.CreateServiceAccount} → {@code CreateServiceAccount}. */
    public static String verb(AuditEntry entry) {
        return GcpIds.last(entry.method().replace('.', '/'));
    }

    /**
     * The unique id of the service account an IAM entry names. CAI names accounts by unique id; an email-named
     * resource is resolved through the response.
     */
    public static Optional<String> accountOf(AuditEntry entry) {
        return GcpIds.segment(entry.resourceName(), "serviceAccounts").map(a -> !a.contains("@")
                ? a : entry.payload().path("response").path("unique_id").asText(
                        entry.payload().path("response").path("uniqueId").asText("")))
                .filter(a -> !a.isEmpty());
    }

    @Override
    public List<Remediator> remediators() {
        return List.of();
    }

    /** The account; project IAM lives in other resources, so {@code admin} is not mapped. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_service_account");
    }
}
