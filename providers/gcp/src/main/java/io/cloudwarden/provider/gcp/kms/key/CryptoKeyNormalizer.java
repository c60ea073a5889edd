package io.cloudwarden.provider.gcp.kms.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.Labels;

/**
 * Cloud KMS crypto key → {@code kms.key}. {@code enabled}: the primary version's state is {@code ENABLED} (a key
 * without a primary version, e.g. an asymmetric key, counts as not enabled); {@code rotationEnabled}: a
 * {@code rotationPeriod} is set; {@code rotationPeriodDays}: that period (a Duration such as {@code "7776000s"})
 * in whole days, else null; {@code pendingDeletion}: the primary version is {@code DESTROY_SCHEDULED};
 * {@code rotationSupported}: the purpose is {@code ENCRYPT_DECRYPT} (Cloud KMS rotates only symmetric keys
 * automatically).
 */
public final class CryptoKeyNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode d = AssetJson.data(item.json());
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("enabled", "ENABLED".equals(d.path("primary").path("state").asText()));
        putRotation(a, d.path("rotationPeriod").asText(""));
        a.put("pendingDeletion", "DESTROY_SCHEDULED".equals(d.path("primary").path("state").asText()));
        a.put("rotationSupported", "ENCRYPT_DECRYPT".equals(d.path("purpose").asText("ENCRYPT_DECRYPT")));
        return new Normalized(GcpIds.last(d.path("name").asText("")), Labels.of(d.path("labels")), a);
    }

    /** Sets {@code rotationEnabled}/{@code rotationPeriodDays} from a protobuf Duration string ("" = none). */
    public static void putRotation(ObjectNode a, String period) {
        if (period.isEmpty()) {
            a.put(Attributes.KmsKey.ROTATION_ENABLED, false);
            a.putNull(Attributes.KmsKey.ROTATION_PERIOD_DAYS);
        } else {
            a.put(Attributes.KmsKey.ROTATION_ENABLED, true);
            a.put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, (int) (seconds(period) / 86_400)); // int: matches parsed JSON
        }
    }

    static long seconds(String duration) {
        String s = duration.endsWith("s") ? duration.substring(0, duration.length() - 1) : duration;
        try {
            return (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rotationPeriod: expected a duration like \"7776000s\" but was '"
                    + duration + "'");
        }
    }
}
