package io.cloudwarden.provider.aws.kms.key;

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
 * KMS KeyMetadata + rotation status → {@code kms.key}. {@code rotationPeriodDays} is reported only while rotation is
 * enabled (AWS omits it otherwise), else null. {@code pendingDeletion}: {@code KeyState} is {@code PendingDeletion} or
 * {@code PendingReplicaDeletion}. {@code rotationSupported}: false when GetKeyRotationStatus answered
 * {@code UnsupportedOperationException} (asymmetric, HMAC, imported material, custom key stores: AWS cannot rotate
 * them automatically).
 */
public final class KeyNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        a.put("enabled", Json.bool(j, "KeyMetadata", "Enabled"));
        boolean rotation = Json.bool(j, "KeyRotationStatus", "KeyRotationEnabled");
        a.put(Attributes.KmsKey.ROTATION_ENABLED, rotation);
        JsonNode period = Json.at(j, "KeyRotationStatus", "RotationPeriodInDays");
        if (rotation && period != null && period.canConvertToInt()) {
            a.put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, period.asInt());
        } else {
            a.putNull(Attributes.KmsKey.ROTATION_PERIOD_DAYS);
        }
        String state = Json.text(j, "KeyMetadata", "KeyState").orElse("");
        a.put("pendingDeletion", state.equals("PendingDeletion") || state.equals("PendingReplicaDeletion"));
        a.put("rotationSupported", !"UnsupportedOperationException".equals(
                Json.text(j, "KeyRotationStatus", "Unsupported").orElse("")));
        Map<String, String> tags = new TreeMap<>();
        Json.array(j, "Tags").forEach(t -> tags.put(t.path("TagKey").asText(), t.path("TagValue").asText()));
        String name = Json.text(j, "KeyMetadata", "Description").orElse(Json.text(j, "KeyMetadata", "KeyId").orElse(""));
        return new Normalized(name, tags, a);
    }
}
