package io.cloudwarden.provider.aws.compute.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes.ComputeGroup;
import io.cloudwarden.provider.aws.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * AutoScalingGroup (+ {@code MemberIds}, {@code GroupUtilization}) → {@code compute.group}: {@code capacity} is
 * MinSize / MaxSize / DesiredCapacity, {@code memberIds} the members' instance ARNs, sorted.
 */
public final class GroupNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = ComputeGroup.of(j.path("MinSize").asInt(), j.path("MaxSize").asInt(),
                j.path("DesiredCapacity").asInt(), j.path("MemberIds"), j.get("GroupUtilization"));
        Map<String, String> tags = new HashMap<>();
        j.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return new Normalized(Json.text(j, "AutoScalingGroupName").orElse(item.id()), tags, a);
    }
}
