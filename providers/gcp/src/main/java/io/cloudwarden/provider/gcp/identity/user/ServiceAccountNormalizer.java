package io.cloudwarden.provider.gcp.identity.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import java.util.Map;
import java.util.Set;

/**
 * Service account → {@code identity.user}. {@code mfaEnabled}: null (not applicable to service accounts);
 * {@code consoleAccess}: false (service accounts cannot sign in to the console); {@code lastUsedAt}: null (CAI
 * does not carry activity); {@code admin}: the account holds {@code roles/owner} or {@code roles/editor} in the
 * project IAM policy the collector attached; false when no policy was available (documented limitation: folder- or
 * organization-level grants are not seen); {@code enabled}: not {@code disabled}.
 */
public final class ServiceAccountNormalizer implements ResourceNormalizer {
    public static final Set<String> ADMIN_ROLES = Set.of("roles/owner", "roles/editor");

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode d = AssetJson.data(item.json());
        boolean admin = false;
        for (JsonNode role : item.json().path(ServiceAccountCollector.PROJECT_ROLES)) {
            admin |= ADMIN_ROLES.contains(role.asText());
        }
        ObjectNode a = attributes(admin);
        a.put("enabled", !d.path("disabled").asBoolean(false));
        return new Normalized(d.path("email").asText(""), Map.of(), a);
    }

    public static ObjectNode attributes(boolean admin) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.putNull(Attributes.IdentityUser.MFA_ENABLED);
        a.put("admin", admin);
        a.put(Attributes.IdentityUser.CONSOLE_ACCESS, false);
        a.putNull("lastUsedAt");
        return a;
    }
}
