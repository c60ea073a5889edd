package io.cloudwarden.provider.gcp.identity.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;
import io.cloudwarden.provider.gcp.session.Cai;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Service accounts, read from Cloud Asset Inventory resource data (no REST-capable IAM client is served here; CAI is
 * the bulk path anyway), each enriched with its project-level roles. The project policy is optional evidence: when
 * reading it is denied, {@link #PROJECT_ROLES} is left out and the normalizer reports {@code admin=false}.
 */
public final class ServiceAccountCollector extends AssetCollector {
    /**
     * Field this collector adds to each asset (not a CAI field): the roles the account holds in the project IAM
     * policy, or absent when that policy could not be read.
     */
    public static final String PROJECT_ROLES = "projectRoles";

    public ServiceAccountCollector() {
        super(GcpIds.SERVICE_ACCOUNT_TYPE);
    }

    @Override
    protected Consumer<ObjectNode> enricher(GcpSession session, String project) {
        Optional<Map<String, Set<String>>> roles;
        try {
            roles = Optional.of(Cai.projectRoles(session, project));
        } catch (ProviderException e) {
            if (!"PERMISSION_DENIED".equals(e.nativeCode())) {
                throw e;
            }
            roles = Optional.empty();
        }
        Optional<Map<String, Set<String>>> byMember = roles;
        return asset -> byMember.ifPresent(m -> {
            String email = asset.path("resource").path("data").path("email").asText();
            ArrayNode held = asset.putArray(PROJECT_ROLES);
            m.getOrDefault("serviceAccount:" + email, Set.of()).stream().sorted().forEach(held::add);
        });
    }
}
