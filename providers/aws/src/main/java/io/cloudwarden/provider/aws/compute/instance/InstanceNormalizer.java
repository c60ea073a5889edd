package io.cloudwarden.provider.aws.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupNormalizer;
import java.util.Optional;

/**
 * EC2 Instance (+ {@code Volumes}) → {@code compute.instance}. {@code identity} is the instance profile's name (the
 * last ARN segment: Terraform states record only the name, so both sides agree); {@code diskEncryption} is true when
 * the instance has EBS volumes and every one is encrypted (an unknown volume counts as not encrypted);
 * {@code metadataHardened} is IMDSv2 required ({@code HttpTokens = required}); {@code utilization} and {@code group}
 * are what the collector added ({@code Utilization}, {@code AutoScalingGroupARN}), else null.
 */
public final class InstanceNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        a.put("state", Json.text(j, "State", "Name").orElse("unknown"));
        a.set("publicIp", Json.textOrNull(Json.text(j, "PublicIpAddress")));
        a.set("imageId", Json.textOrNull(Json.text(j, "ImageId")));
        a.set("identity", Json.textOrNull(Json.text(j, "IamInstanceProfile", "Arn").map(InstanceNormalizer::lastSegment)));
        a.put(Attributes.ComputeInstance.DISK_ENCRYPTION, diskEncryption(j));
        a.put(Attributes.ComputeInstance.METADATA_HARDENED, "required".equals(Json.text(j, "MetadataOptions", "HttpTokens").orElse("")));
        a.set(Attributes.ComputeInstance.OS, PatchStates.os(j));
        a.set(Attributes.ComputeInstance.PATCH, PatchStates.patch(j));
        a.set(Attributes.ComputeInstance.UTILIZATION, CpuUtilization.toJson(CpuUtilization.fromJson(j.get("Utilization"))));
        a.set(Attributes.ComputeInstance.GROUP, Json.textOrNull(Json.text(j, "AutoScalingGroupARN")));
        // aws:-prefixed tags are AWS's own (aws:autoscaling:groupName on group members): no user or Terraform state
        // can set them, so they would be drift against every baseline; the raw JSON keeps them, the group is `group`
        var tags = new java.util.TreeMap<>(SecurityGroupNormalizer.tags(j));
        tags.keySet().removeIf(k -> k.startsWith("aws:"));
        String name = Optional.ofNullable(tags.get("Name")).orElse(Json.text(j, "InstanceId").orElse(""));
        return new Normalized(name, tags, a);
    }

    static boolean diskEncryption(JsonNode j) {
        boolean any = false;
        for (JsonNode v : Json.array(j, "Volumes")) {
            any = true;
            if (!Json.bool(v, "Encrypted")) {
                return false;
            }
        }
        return any;
    }

    public static String lastSegment(String arn) {
        int slash = arn.lastIndexOf('/');
        return slash < 0 ? arn : arn.substring(slash + 1);
    }
}
