package io.cloudwarden.provider.gcp.identity.key;

import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.identity.user.IdentityUser;
import io.cloudwarden.provider.gcp.session.Cai;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code identity.key} on GCP: user-managed service account keys (global; id = the CAI name). */
public final class IdentityKey implements GcpType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_KEY, GcpIds.SERVICE_ACCOUNT_KEY_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), List.of(Cai.USE, Cai.LIST, Cai.HISTORY),
                new ServiceAccountKeyCollector(), new ServiceAccountKeyNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of("iam.googleapis.com", "google.iam.admin.v1.CreateServiceAccountKey",
                "google.iam.admin.v1.DeleteServiceAccountKey", "google.iam.admin.v1.DisableServiceAccountKey",
                "google.iam.admin.v1.EnableServiceAccountKey");
    }

    /** Methods whose verb ends in {@code ServiceAccountKey}; a created key's id is in the response. */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        Optional<String> account = IdentityUser.accountOf(entry);
        if (account.isEmpty() || !IdentityUser.verb(entry).endsWith("ServiceAccountKey")) {
            return Optional.empty();
        }
        String keyId = GcpIds.segment(entry.resourceName(), "keys")
                .orElse(GcpIds.last(entry.payload().path("response").path("name").asText("")));
        if (keyId.isEmpty() || keyId.equals(account.get())) {
            return Optional.empty();
        }
        return Optional.of(new Target(GcpIds.serviceAccountKey(entry.project(), account.get(), keyId),
                GcpIds.GLOBAL));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new ServiceAccountKeyDisable());
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_service_account_key");
    }
}
