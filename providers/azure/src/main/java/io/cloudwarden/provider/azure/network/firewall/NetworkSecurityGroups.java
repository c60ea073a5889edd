package io.cloudwarden.provider.azure.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.azure.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Network security groups → {@code network.firewall}. Only the custom {@code securityRules} are normalized (the
 * fixed default rules are the same on every NSG). Rules: sources {@code *}, {@code Internet}, {@code 0.0.0.0/0} and
 * {@code ::/0} mean "anywhere"; {@code *} and {@code Internet} become both {@code 0.0.0.0/0} and {@code ::/0}. A rule
 * with several port ranges becomes one normalized rule per range. {@code internetIngress} lists the inbound allow
 * rules from anywhere that are not fully shadowed by a higher-priority (lower number) inbound deny from anywhere
 * covering the same protocol and ports.
 */
public final class NetworkSecurityGroups {
    public static final String NATIVE_TYPE = "Microsoft.Network/networkSecurityGroups";
    public static final String API = "2024-05-01";

    private NetworkSecurityGroups() {
    }

    /** One security rule, from ARM JSON or from Terraform state. */
    public record Rule(String name, int priority, String direction, String access, String protocol,
            List<String> sources, List<String> destinations, List<String> destinationPorts) {
        public boolean inbound() {
            return direction.equalsIgnoreCase("Inbound");
        }

        public boolean allow() {
            return access.equalsIgnoreCase("Allow");
        }

        public boolean fromAnywhere() {
            return sources.stream().anyMatch(NetworkSecurityGroups::isAnywhere);
        }
    }

    public static Normalized normalize(NativeItem item) {
        JsonNode json = item.json();
        return new Normalized(json.path("name").asText(""), Json.tags(json.path("tags")),
                attributes(rulesFromArm(json.path("properties").path("securityRules"))));
    }

    public static List<Rule> rulesFromArm(JsonNode securityRules) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : Json.array(securityRules)) {
            JsonNode p = r.path("properties");
            rules.add(new Rule(r.path("name").asText(""), p.path("priority").asInt(),
                    p.path("direction").asText("Inbound"), p.path("access").asText("Allow"),
                    p.path("protocol").asText("*"),
                    merge(p.path("sourceAddressPrefix"), p.path("sourceAddressPrefixes")),
                    merge(p.path("destinationAddressPrefix"), p.path("destinationAddressPrefixes")),
                    merge(p.path("destinationPortRange"), p.path("destinationPortRanges"))));
        }
        return rules;
    }

    private static List<String> merge(JsonNode single, JsonNode many) {
        Set<String> out = new LinkedHashSet<>();
        if (single.isTextual() && !single.asText().isEmpty()) {
            out.add(single.asText());
        }
        for (JsonNode n : Json.array(many)) {
            if (!n.asText("").isEmpty()) {
                out.add(n.asText());
            }
        }
        return List.copyOf(out);
    }

    public static boolean isAnywhere(String prefix) {
        String p = prefix.trim();
        return p.equals("*") || p.equalsIgnoreCase("Internet") || p.equals("0.0.0.0/0") || p.equals("::/0");
    }

    /** The normalized {@code rules[]} and {@code internetIngress[]} of a set of security rules. */
    public static ObjectNode attributes(List<Rule> rules) {
        List<ObjectNode> normalized = new ArrayList<>();
        for (Rule r : rules) {
            for (int[] ports : portRanges(r.destinationPorts())) {
                ObjectNode n = Json.nodes().objectNode();
                n.put("direction", r.inbound() ? "ingress" : "egress");
                n.put("action", r.allow() ? "allow" : "deny");
                n.put("protocol", protocol(r.protocol()));
                putPort(n, "fromPort", ports);
                putPort(n, "toPort", ports == null ? null : new int[] {ports[1]});
                ArrayNode ranges = n.putArray("ranges");
                ranges(r.inbound() ? r.sources() : r.destinations()).forEach(ranges::add);
                normalized.add(n);
            }
        }
        ObjectNode a = Json.nodes().objectNode();
        ArrayNode out = a.putArray("rules");
        normalized.stream().sorted(Comparator.comparing(JsonNode::toString)).forEach(out::add);
        ArrayNode internet = a.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        internetIngress(rules).forEach(internet::add);
        return a;
    }

    private static List<ObjectNode> internetIngress(List<Rule> rules) {
        List<Rule> byPriority = rules.stream().filter(Rule::inbound).filter(Rule::fromAnywhere)
                .sorted(Comparator.comparingInt(Rule::priority)).toList();
        TreeSet<String> seen = new TreeSet<>();
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < byPriority.size(); i++) {
            Rule r = byPriority.get(i);
            if (!r.allow()) {
                continue;
            }
            for (int[] ports : portRanges(r.destinationPorts())) {
                if (shadowed(byPriority.subList(0, i), r.protocol(), ports)) {
                    continue;
                }
                ObjectNode n = Json.nodes().objectNode();
                n.put("protocol", protocol(r.protocol()));
                putPort(n, "fromPort", ports);
                putPort(n, "toPort", ports == null ? null : new int[] {ports[1]});
                if (seen.add(n.toString())) {
                    out.add(n);
                }
            }
        }
        out.sort(Comparator.comparing(JsonNode::toString));
        return out;
    }

    private static boolean shadowed(List<Rule> higher, String protocol, int[] ports) {
        for (Rule d : higher) {
            if (d.allow()) {
                continue;
            }
            boolean protoCovers = d.protocol().equals("*") || d.protocol().equalsIgnoreCase(protocol);
            if (!protoCovers) {
                continue;
            }
            for (int[] dp : portRanges(d.destinationPorts())) {
                if (dp == null || (ports != null && dp[0] <= ports[0] && dp[1] >= ports[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void putPort(ObjectNode n, String field, int[] ports) {
        if (ports == null) {
            n.putNull(field);
        } else {
            n.put(field, ports[0]);
        }
    }

    /** {@code "22"} → [22,22], {@code "1000-2000"} → [1000,2000], {@code "*"} → null (all ports). */
    static List<int[]> portRanges(List<String> specs) {
        List<int[]> out = new ArrayList<>();
        if (specs.isEmpty()) {
            out.add(null);
            return out;
        }
        for (String s : specs) {
            String t = s.trim();
            if (t.equals("*") || t.equals("0-65535")) {
                out.add(null);
            } else if (t.contains("-")) {
                String[] p = t.split("-", 2);
                out.add(new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())});
            } else {
                int port = Integer.parseInt(t);
                out.add(new int[] {port, port});
            }
        }
        return out;
    }

    static String protocol(String armProtocol) {
        String p = armProtocol.trim().toLowerCase(Locale.ROOT);
        return p.equals("*") ? "all" : p;
    }

    static List<String> ranges(List<String> prefixes) {
        TreeSet<String> out = new TreeSet<>();
        for (String p : prefixes) {
            String t = p.trim();
            if (t.equals("*") || t.equalsIgnoreCase("Internet")) {
                out.add("0.0.0.0/0");
                out.add("::/0");
            } else {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
