package io.cloudwarden.provider.aws.identity.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.aws.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * IAM User (+ MFA devices, login profile, policies, groups) → {@code identity.user}. {@code admin}:
 * AdministratorAccess attached to the user or one of its groups, or any attached/inline policy allowing
 * {@code *} on {@code *}. {@code lastUsedAt}: the console password's last use (access-key use is on
 * {@code identity.key}). {@code enabled}: always true, IAM has no switch that disables a user (a user without a
 * password and without active keys cannot sign in, which {@code consoleAccess} and the keys' {@code active} say).
 */
public final class UserNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        JsonNode mfa = Json.at(j, "MFADevices");
        if (mfa == null || !mfa.isArray()) {
            a.putNull(Attributes.IdentityUser.MFA_ENABLED);
        } else {
            a.put(Attributes.IdentityUser.MFA_ENABLED, mfa.size() > 0);
        }
        a.put("admin", UserCollector.isAdmin(j));
        JsonNode lp = Json.at(j, "LoginProfile");
        a.put(Attributes.IdentityUser.CONSOLE_ACCESS, lp != null && !lp.isNull());
        a.set("lastUsedAt", Json.textOrNull(Json.text(j, "PasswordLastUsed")));
        a.put("enabled", true);
        Map<String, String> tags = new TreeMap<>();
        Json.array(j, "Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return new Normalized(Json.text(j, "UserName").orElse(""), tags, a);
    }
}
