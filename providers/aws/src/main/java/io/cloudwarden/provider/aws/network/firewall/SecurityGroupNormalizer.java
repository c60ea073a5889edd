package io.cloudwarden.provider.aws.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.provider.aws.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * EC2 SecurityGroup → {@code network.firewall}. Security groups only allow; IPv4 and IPv6 ranges of a permission
 * share one rule; group and prefix-list references stay in {@code raw} (a rule allowing only referenced groups has
 * empty {@code ranges}).
 */
public final class SecurityGroupNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        FirewallRules rules = new FirewallRules();
        rules.addIpPermissions("ingress", Json.at(j, "IpPermissions"));
        rules.addIpPermissions("egress", Json.at(j, "IpPermissionsEgress"));
        ObjectNode a = Json.F.objectNode();
        rules.writeTo(a);
        return new Normalized(Json.text(j, "GroupName").orElse(""), tags(j), a);
    }

    public static Map<String, String> tags(JsonNode j) {
        Map<String, String> tags = new TreeMap<>();
        for (JsonNode t : Json.array(j, "Tags")) {
            tags.put(t.path("Key").asText(), t.path("Value").asText());
        }
        return tags;
    }
}
