package io.cloudwarden.provider.aws.compute.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes.ComputeGroup;
import io.cloudwarden.provider.aws.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AutoScalingGroup (+ {@code MemberIds}, {@code GroupUtilization}) → {@code compute.group}: {@code capacity} is
 * MinSize / MaxSize / DesiredCapacity, {@code memberIds} the members' instance ARNs, sorted.
 */
public final class GroupNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        a.putObject(ComputeGroup.CAPACITY)
                .put(ComputeGroup.Capacity.MIN, j.path("MinSize").asInt())
                .put(ComputeGroup.Capacity.MAX, j.path("MaxSize").asInt())
                .put(ComputeGroup.Capacity.DESIRED, j.path("DesiredCapacity").asInt());
        List<String> ids = new ArrayList<>();
        j.path("MemberIds").forEach(i -> ids.add(i.asText()));
        ids.sort(null);
        ArrayNode members = a.putArray(ComputeGroup.MEMBER_IDS);
        ids.forEach(members::add);
        JsonNode u = j.get("GroupUtilization");
        a.set(ComputeGroup.UTILIZATION, u != null && u.isObject() ? u.deepCopy() : NullNode.instance);
        Map<String, String> tags = new HashMap<>();
        j.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return new Normalized(Json.text(j, "AutoScalingGroupName").orElse(item.id()), tags, a);
    }
}
