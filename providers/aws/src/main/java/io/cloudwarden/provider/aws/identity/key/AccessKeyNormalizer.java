package io.cloudwarden.provider.aws.identity.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.aws.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * IAM AccessKeyMetadata (+ {@code AccessKeyLastUsed}, {@code ObservedAt}) → {@code identity.key}. {@code owner} is
 * the user name; {@code ageDays} whole days from creation to observation; {@code lastUsedAt} null when never used.
 */
public final class AccessKeyNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        a.put("active", "Active".equals(Json.text(j, "Status").orElse("")));
        Optional<String> created = Json.text(j, "CreateDate");
        a.set("createdAt", Json.textOrNull(created));
        Optional<Instant> observed = Json.text(j, "ObservedAt").map(Instant::parse);
        if (created.isPresent() && observed.isPresent()) {
            a.put(Attributes.IdentityKey.AGE_DAYS, Math.max(0, Duration.between(Instant.parse(created.get()), observed.get()).toDays()));
        } else {
            a.putNull(Attributes.IdentityKey.AGE_DAYS);
        }
        a.set("lastUsedAt", Json.textOrNull(Json.text(j, "AccessKeyLastUsed", "LastUsedDate")));
        a.set("owner", Json.textOrNull(Json.text(j, "UserName")));
        return new Normalized(Json.text(j, "AccessKeyId").orElse(item.id()), Map.of(), a);
    }
}
