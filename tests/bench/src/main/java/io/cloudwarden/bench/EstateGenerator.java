package io.cloudwarden.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates realistic estates for benchmarks: all six normalized types across the three clouds, with the attribute
 * shapes the providers produce (firewalls with several rules, instances with identities, keys with ages, tags), a
 * realistic share of deviations, and deterministic output for a seed.
 */
public final class EstateGenerator {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "westeurope", "us-central1", "ap-south-1"};
    private static final int[] PORTS = {22, 80, 443, 3389, 5432, 3306, 8080, 6379};

    private EstateGenerator() {
    }

    /**
     * The six types the published figures (docs/PERFORMANCE.md) were measured on; {@code compute.group} (issue 15)
     * is left out so the estates, and thus the figures, stay comparable.
     */
    static final List<String> BENCH_TYPES = List.of(ResourceTypes.STORAGE_BUCKET, ResourceTypes.NETWORK_FIREWALL,
            ResourceTypes.COMPUTE_INSTANCE, ResourceTypes.IDENTITY_USER, ResourceTypes.IDENTITY_KEY,
            ResourceTypes.KMS_KEY);

    public static Snapshot snapshot(int size, long seed) {
        return Snapshot.of(T, generate(size, seed), List.of());
    }

    public static List<Resource> generate(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Resource> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Cloud cloud = Cloud.values()[i % 3];
            String type = BENCH_TYPES.get((i / 3) % BENCH_TYPES.size());
            out.add(resource(cloud, type, i, rnd));
        }
        return out;
    }

    /**
     * A later view of {@code base}: {@code changedShare} of the resources get one attribute flipped, and
     * {@code churnShare} are removed and replaced by new ones.
     */
    public static List<Resource> drifted(List<Resource> base, double changedShare, double churnShare, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Resource> out = new ArrayList<>(base.size());
        int next = base.size();
        for (Resource r : base) {
            double p = rnd.nextDouble();
            if (p < churnShare) {
                out.add(resource(r.cloud(), r.type(), next++, rnd));
            } else if (p < churnShare + changedShare) {
                ObjectNode a = r.attributes().deepCopy();
                switch (r.type()) {
                    case ResourceTypes.STORAGE_BUCKET -> a.put("publicAccess", !a.path("publicAccess").asBoolean());
                    case ResourceTypes.NETWORK_FIREWALL -> ((ArrayNode) a.get("rules")).add(rule(rnd, true));
                    case ResourceTypes.COMPUTE_INSTANCE -> a.put("state", "stopped");
                    case ResourceTypes.IDENTITY_USER -> a.put("admin", !a.path("admin").asBoolean());
                    case ResourceTypes.IDENTITY_KEY -> a.put("active", !a.path("active").asBoolean());
                    default -> a.put("rotationEnabled", !a.path("rotationEnabled").asBoolean());
                }
                out.add(r.toBuilder().attributes(a).build());
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static Resource resource(Cloud cloud, String type, int i, SplittableRandom rnd) {
        String name = type.replace('.', '-') + "-" + i;
        String account = switch (cloud) {
            case AWS -> String.format("%012d", 100000000000L + (i % 7));
            case AZURE -> "00000000-0000-0000-0000-00000000000" + (i % 7);
            case GCP -> "project-" + (i % 7);
        };
        String region = REGIONS[rnd.nextInt(REGIONS.length)];
        Map<String, String> tags = new TreeMap<>();
        tags.put("env", rnd.nextInt(4) == 0 ? "dev" : "prod");
        if (rnd.nextInt(3) > 0) {
            tags.put("owner", "team-" + rnd.nextInt(20));
        }
        ObjectNode a = F.objectNode();
        switch (type) {
            case ResourceTypes.STORAGE_BUCKET -> {
                a.put("publicAccess", rnd.nextInt(20) == 0);
                a.putObject("encryption").put("enabled", rnd.nextInt(30) > 0)
                        .put("keyType", rnd.nextBoolean() ? "provider-managed" : "customer-managed");
                a.put("versioning", rnd.nextInt(4) > 0);
                if (cloud == Cloud.AZURE) {
                    a.put("minTlsVersion", rnd.nextInt(10) == 0 ? "1.0" : "1.2");
                } else {
                    a.putNull("minTlsVersion");
                }
                a.put("logging", rnd.nextInt(3) > 0);
            }
            case ResourceTypes.NETWORK_FIREWALL -> {
                ArrayNode rules = a.putArray("rules");
                int n = 2 + rnd.nextInt(6);
                for (int k = 0; k < n; k++) {
                    rules.add(rule(rnd, rnd.nextInt(8) == 0));
                }
                ArrayNode inet = a.putArray("internetIngress");
                rules.forEach(r -> {
                    if ("ingress".equals(r.get("direction").asText()) && "allow".equals(r.get("action").asText())
                            && r.get("ranges").toString().contains("0.0.0.0/0")) {
                        inet.addObject().put("protocol", r.get("protocol").asText())
                                .set("fromPort", r.get("fromPort"));
                        ((ObjectNode) inet.get(inet.size() - 1)).set("toPort", r.get("toPort"));
                    }
                });
            }
            case ResourceTypes.COMPUTE_INSTANCE -> {
                a.put("state", rnd.nextInt(5) == 0 ? "stopped" : "running");
                if (rnd.nextInt(4) == 0) {
                    a.put("publicIp", "203.0.113." + rnd.nextInt(255));
                } else {
                    a.putNull("publicIp");
                }
                a.put("imageId", "ami-" + Long.toHexString(rnd.nextLong()));
                a.put("identity", "role-" + rnd.nextInt(50));
                a.put("diskEncryption", rnd.nextInt(10) > 0);
                a.put("metadataHardened", rnd.nextInt(3) > 0);
            }
            case ResourceTypes.IDENTITY_USER -> {
                if (cloud == Cloud.GCP) {
                    a.putNull("mfaEnabled");
                } else {
                    a.put("mfaEnabled", rnd.nextInt(6) > 0);
                }
                a.put("admin", rnd.nextInt(15) == 0);
                a.put("consoleAccess", rnd.nextBoolean());
                a.put("lastUsedAt", "2026-11-" + (10 + rnd.nextInt(13)) + "T08:00:00Z");
            }
            case ResourceTypes.IDENTITY_KEY -> {
                int age = rnd.nextInt(400);
                a.put("active", rnd.nextInt(5) > 0);
                a.put("createdAt", T.minusSeconds(age * 86400L).toString());
                a.put("ageDays", age);
                if (rnd.nextInt(4) == 0) {
                    a.putNull("lastUsedAt");
                } else {
                    a.put("lastUsedAt", T.minusSeconds(rnd.nextInt(200) * 86400L).toString());
                }
                a.put("owner", "user-" + rnd.nextInt(500));
            }
            default -> {
                a.put("enabled", rnd.nextInt(20) > 0);
                boolean rot = rnd.nextInt(4) > 0;
                a.put("rotationEnabled", rot);
                if (rot) {
                    a.put("rotationPeriodDays", rnd.nextBoolean() ? 365 : 90);
                } else {
                    a.putNull("rotationPeriodDays");
                }
            }
        }
        ObjectNode raw = F.objectNode().put("Name", name).put("CreationDate", "2025-01-01T00:00:00Z");
        return Resource.builder().cloud(cloud).account(account).region(region).type(type)
                .id(id(cloud, type, account, region, name)).name(name).nativeType(type).tags(tags).attributes(a)
                .raw(raw).observedAt(T).build();
    }

    private static ObjectNode rule(SplittableRandom rnd, boolean anywhere) {
        ObjectNode r = F.objectNode();
        boolean ingress = rnd.nextInt(4) > 0;
        r.put("direction", ingress ? "ingress" : "egress");
        r.put("action", rnd.nextInt(10) == 0 ? "deny" : "allow");
        r.put("protocol", rnd.nextInt(10) == 0 ? "all" : "tcp");
        if ("all".equals(r.get("protocol").asText())) {
            r.putNull("fromPort");
            r.putNull("toPort");
        } else {
            int port = PORTS[rnd.nextInt(PORTS.length)];
            r.put("fromPort", port);
            r.put("toPort", port);
        }
        r.putArray("ranges").add(anywhere ? "0.0.0.0/0" : "10." + rnd.nextInt(255) + ".0.0/16");
        return r;
    }

    private static String id(Cloud cloud, String type, String account, String region, String name) {
        return switch (cloud) {
            case AWS -> "arn:aws:" + type.replace('.', ':') + ":" + region + ":" + account + ":" + name;
            case AZURE -> "/subscriptions/" + account + "/resourceGroups/rg/providers/Cloudwarden.Bench/" + type + "/"
                    + name;
            case GCP -> "//bench.googleapis.com/projects/" + account + "/" + type + "/" + name;
        };
    }
}
