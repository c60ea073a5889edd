package io.cloudwarden.provider.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.cloudwarden.model.ModelJson;

/**
 * The one native JSON shape every GCP normalizer reads: a Cloud Asset Inventory asset
 * ({@code {"name", "assetType", "resource": {"data", "location", ...}, "iamPolicy"}}), whatever API the item came
 * from. Per-service reads (Storage, Compute) are wrapped into this shape so that listing and fetching normalize
 * identically. {@code resource.data} is the service's own REST representation, as CAI returns it.
 */
public final class AssetJson {
    private AssetJson() {
    }

    /** A protobuf message (CAI Asset, Compute Firewall, …) as its canonical proto3 JSON (REST field names). */
    public static ObjectNode fromProto(MessageOrBuilder message) {
        try {
            String json = JsonFormat.printer().omittingInsignificantWhitespace().print(message);
            return (ObjectNode) ModelJson.mapper().readTree(json);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static ObjectNode wrap(String name, String assetType, String location, JsonNode data) {
        ObjectNode asset = ModelJson.mapper().createObjectNode();
        asset.put("name", name);
        asset.put("assetType", assetType);
        ObjectNode resource = asset.putObject("resource");
        resource.set("data", data);
        resource.put("location", location);
        return asset;
    }

    public static JsonNode data(JsonNode asset) {
        return asset.path("resource").path("data");
    }

    /** Lower-cased {@code resource.location}, else {@code global}. */
    public static String location(JsonNode asset) {
        String loc = asset.path("resource").path("location").asText("");
        return loc.isEmpty() ? GcpIds.GLOBAL : loc.toLowerCase(java.util.Locale.ROOT);
    }

    public static ArrayNode array() {
        return ModelJson.mapper().createArrayNode();
    }
}
