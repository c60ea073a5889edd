package io.cloudwarden.provider.gcp.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VPC firewall rule → {@code network.firewall}. One GCP rule holds one direction, one action (its {@code allowed}
 * or {@code denied} list) and one range list; it becomes one model rule per (protocol, port range). Protocol
 * {@code all} or a missing port list means all ports ({@code fromPort}/{@code toPort} null); {@code "22"} →
 * 22..22, {@code "1000-2000"} → 1000..2000; IANA protocol numbers 1/6/17 map to icmp/tcp/udp. Ingress ranges are
 * {@code sourceRanges}, egress ranges {@code destinationRanges}. {@code internetIngress} lists the allowed ingress
 * entries from {@code 0.0.0.0/0} or {@code ::/0}; a disabled rule enforces nothing, so it contributes none (its
 * {@code rules} are still listed, as configured).
 */
public final class FirewallNormalizer implements ResourceNormalizer {
    private static final Map<String, String> PROTOCOL_NUMBERS = Map.of("1", "icmp", "6", "tcp", "17", "udp");

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode data = AssetJson.data(item.json());
        return new Normalized(data.path("name").asText(""), Map.of(), attributes(
                data.path("direction").asText("INGRESS"),
                data.path("disabled").asBoolean(false),
                data.path("allowed"), data.path("denied"), "IPProtocol", "ports",
                data.path("sourceRanges"), data.path("destinationRanges")));
    }

    /**
     * Shared by the collector path (REST JSON: {@code IPProtocol}) and the Terraform mapper ({@code protocol}).
     */
    public static ObjectNode attributes(String direction, boolean disabled, JsonNode allowed, JsonNode denied,
            String protocolField, String portsField, JsonNode sourceRanges, JsonNode destinationRanges) {
        String dir = direction.toLowerCase(Locale.ROOT);
        boolean ingress = !"egress".equals(dir);
        List<String> ranges = new ArrayList<>();
        (ingress ? sourceRanges : destinationRanges).forEach(r -> ranges.add(r.asText()));

        ObjectNode a = ModelJson.mapper().createObjectNode();
        ArrayNode rules = a.putArray("rules");
        ArrayNode internet = a.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        boolean fromAnywhere = ranges.contains("0.0.0.0/0") || ranges.contains("::/0");
        for (String action : List.of("allow", "deny")) {
            for (JsonNode entry : "allow".equals(action) ? allowed : denied) {
                String protocol = protocol(entry.path(protocolField).asText("all"));
                List<Integer[]> portRanges = ports(entry.path(portsField));
                for (Integer[] pr : portRanges) {
                    ObjectNode rule = rules.addObject();
                    rule.put("direction", ingress ? "ingress" : "egress");
                    rule.put("action", action);
                    rule.put("protocol", protocol);
                    putPort(rule, "fromPort", pr[0]);
                    putPort(rule, "toPort", pr[1]);
                    ArrayNode rr = rule.putArray("ranges");
                    ranges.forEach(rr::add);
                    if (ingress && !disabled && "allow".equals(action) && fromAnywhere) {
                        ObjectNode open = internet.addObject();
                        open.put("protocol", protocol);
                        putPort(open, "fromPort", pr[0]);
                        putPort(open, "toPort", pr[1]);
                    }
                }
            }
        }
        return a;
    }

    static String protocol(String p) {
        String lower = p.toLowerCase(Locale.ROOT);
        return PROTOCOL_NUMBERS.getOrDefault(lower, lower);
    }

    /** Port list → [from, to] pairs; an empty list means all ports ({@code [null, null]}). */
    static List<Integer[]> ports(JsonNode ports) {
        List<Integer[]> out = new ArrayList<>();
        for (JsonNode p : ports) {
            String s = p.asText().trim();
            int dash = s.indexOf('-');
            try {
                if (dash < 0) {
                    int v = Integer.parseInt(s);
                    out.add(new Integer[] {v, v});
                } else {
                    out.add(new Integer[] {Integer.parseInt(s.substring(0, dash).trim()),
                            Integer.parseInt(s.substring(dash + 1).trim())});
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("firewall ports: expected \"N\" or \"N-M\" but was '" + s + "'");
            }
        }
        if (out.isEmpty()) {
            out.add(new Integer[] {null, null});
        }
        return out;
    }

    private static void putPort(ObjectNode o, String field, Integer v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }
}
