package io.cloudwarden.provider.aws.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.aws.Json;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accumulates security-group permissions into normalized {@code rules[]} and {@code internetIngress[]}. Used by
 * the normalizer (EC2 IpPermissions) and the Terraform mapper (inline blocks and split-out rule resources) alike:
 * permissions with the same direction/protocol/ports are merged and their ranges unioned, so the result does not
 * depend on how the rules were declared or on how EC2 grouped them.
 */
public final class FirewallRules {
    public static final String ANY_V4 = "0.0.0.0/0";
    public static final String ANY_V6 = "::/0";

    private record Key(String direction, String protocol, Integer fromPort, Integer toPort) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::direction)
            .thenComparing(Key::protocol)
            .thenComparing(k -> k.fromPort() == null ? Integer.MIN_VALUE : k.fromPort())
            .thenComparing(k -> k.toPort() == null ? Integer.MIN_VALUE : k.toPort());

    private final Map<Key, TreeSet<String>> rules = new TreeMap<>(ORDER);

    /**
     * Adds one permission. {@code protocol} is EC2's IpProtocol ({@code -1}, {@code tcp}, {@code 6}, …); ports of
     * {@code -1} or an all-protocol rule mean "all" (null).
     */
    public void add(String direction, String protocol, Integer fromPort, Integer toPort, Iterable<String> ranges) {
        String p = protocol(protocol);
        boolean allPorts = p.equals("all");
        Integer from = allPorts || fromPort == null || fromPort == -1 ? null : fromPort;
        Integer to = allPorts || toPort == null || toPort == -1 ? null : toPort;
        TreeSet<String> set = rules.computeIfAbsent(new Key(direction, p, from, to), k -> new TreeSet<>());
        for (String r : ranges) {
            if (r != null && !r.isBlank()) {
                set.add(r);
            }
        }
    }

    /** EC2 protocol names/numbers → {@code tcp}/{@code udp}/{@code icmp}/{@code icmpv6}/{@code all}/number. */
    public static String protocol(String ipProtocol) {
        String p = Objects.requireNonNullElse(ipProtocol, "-1").toLowerCase(Locale.ROOT);
        return switch (p) {
            case "-1", "all" -> "all";
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
            case "1", "icmp" -> "icmp";
            case "58", "icmpv6" -> "icmpv6";
            default -> p;
        };
    }

    public void writeTo(ObjectNode attributes) {
        ArrayNode out = attributes.putArray("rules");
        ArrayNode internet = attributes.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        rules.forEach((k, ranges) -> {
            ObjectNode r = out.addObject();
            r.put("direction", k.direction());
            r.put("action", "allow");
            r.put("protocol", k.protocol());
            port(r, "fromPort", k.fromPort());
            port(r, "toPort", k.toPort());
            ArrayNode rs = r.putArray("ranges");
            ranges.forEach(rs::add);
            if (k.direction().equals("ingress") && (ranges.contains(ANY_V4) || ranges.contains(ANY_V6))) {
                ObjectNode i = internet.addObject();
                i.put("protocol", k.protocol());
                port(i, "fromPort", k.fromPort());
                port(i, "toPort", k.toPort());
            }
        });
    }

    private static void port(ObjectNode n, String field, Integer v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    /** Adds EC2 {@code IpPermissions}/{@code IpPermissionsEgress} entries (SDK member names). */
    public void addIpPermissions(String direction, JsonNode permissions) {
        for (JsonNode p : Json.array(permissions)) {
            java.util.List<String> ranges = new java.util.ArrayList<>();
            Json.array(p, "IpRanges").forEach(r -> Json.text(r, "CidrIp").ifPresent(ranges::add));
            Json.array(p, "Ipv6Ranges").forEach(r -> Json.text(r, "CidrIpv6").ifPresent(ranges::add));
            add(direction, Json.text(p, "IpProtocol").orElse("-1"), intOrNull(p.get("FromPort")),
                    intOrNull(p.get("ToPort")), ranges);
        }
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asInt();
    }
}
