package io.cloudwarden.provider.gcp.identity.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * User-managed service account key → {@code identity.key}. {@code active}: not {@code disabled} and not past
 * {@code validBeforeTime}; {@code createdAt}: {@code validAfterTime}; {@code ageDays}: whole days from then to the
 * normalizer's clock; {@code lastUsedAt}: null (key usage lives in Policy Intelligence, not in CAI);
 * {@code owner}: the service account email from the key's name.
 */
public final class ServiceAccountKeyNormalizer implements ResourceNormalizer {
    private final Clock clock;

    public ServiceAccountKeyNormalizer() {
        this(Clock.systemUTC());
    }

    public ServiceAccountKeyNormalizer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode d = AssetJson.data(item.json());
        String name = d.path("name").asText("");
        Instant now = clock.instant();
        ObjectNode a = ModelJson.mapper().createObjectNode();
        Instant validBefore = time(d, "validBeforeTime");
        a.put("active", !d.path("disabled").asBoolean(false) && (validBefore == null || validBefore.isAfter(now)));
        Instant created = time(d, "validAfterTime");
        if (created == null) {
            a.putNull("createdAt");
            a.putNull(Attributes.IdentityKey.AGE_DAYS);
        } else {
            a.put("createdAt", created.toString());
            // int, not long: a JSON round trip reads small numbers back as ints, and drift compares nodes
            a.put(Attributes.IdentityKey.AGE_DAYS, (int) Math.max(0, Duration.between(created, now).toDays()));
        }
        a.putNull("lastUsedAt");
        a.put("owner", GcpIds.segment(name, "serviceAccounts").orElse(""));
        return new Normalized(GcpIds.last(name), Map.of(), a);
    }

    private static Instant time(JsonNode d, String field) {
        String s = d.path(field).asText("");
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("resource.data." + field + ": expected an RFC 3339 time but was '"
                    + s + "'");
        }
    }
}
