package io.cloudwarden.local;

import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** What to scan: clouds, accounts (subscriptions, projects), regions, types, and an endpoint override. */
final class CloudScope {
    @Option(names = "--cloud", paramLabel = "CLOUD", description = "aws, azure or gcp (repeatable; default: all).")
    List<String> clouds = new ArrayList<>();

    @Option(names = {"--account", "--subscription", "--project"}, paramLabel = "ID",
            description = "AWS account, Azure subscription or GCP project id (repeatable).")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", description = "Region to scan (repeatable; default: all).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", description = "Normalized type to scan (repeatable; default: all).")
    List<String> types = new ArrayList<>();

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every API call of the scanned clouds to URL (LocalStack, a recorded-response server).")
    String endpoint;

    @Option(names = "--sandbox",
            description = "Work on the built-in sandbox estate (recorded API responses served on 127.0.0.1) with state"
                    + " in <state-dir>/sandbox; see 'cloudwarden sandbox'.")
    boolean sandbox;

    List<Cloud> clouds(Set<Cloud> registered) {
        if (clouds.isEmpty()) {
            return registered.stream().sorted().toList();
        }
        List<Cloud> out = new ArrayList<>();
        for (String c : clouds) {
            out.add(cloud(c));
        }
        return out;
    }

    /** A {@code --cloud} value, or an {@link InputException} naming the option and the clouds expected. */
    static Cloud cloud(String value) {
        try {
            return Cloud.of(value);
        } catch (IllegalArgumentException e) {
            throw new InputException("--cloud: expected aws, azure or gcp but was '" + value + "'");
        }
    }

    Set<String> types() {
        for (String t : types) {
            if (!ResourceTypes.isKnown(t)) {
                throw new InputException("--type: expected one of " + ResourceTypes.ALL + " but was '" + t + "'");
            }
        }
        return new LinkedHashSet<>(types);
    }

    /** Configuration overrides for the named clouds (or every cloud when none is named). */
    Map<String, String> overrides() {
        Map<String, String> m = new HashMap<>();
        List<String> names = clouds.isEmpty() ? List.of("aws", "azure", "gcp") : clouds;
        for (String c : names) {
            String p = "cloudwarden." + c.toLowerCase(java.util.Locale.ROOT) + ".";
            if (endpoint != null) {
                m.put(p + "endpoint", endpoint);
            }
            if (!accounts.isEmpty()) {
                m.put(p + "accounts", String.join(",", accounts));
            }
            if (!regions.isEmpty()) {
                m.put(p + "regions", String.join(",", regions));
            }
        }
        return m;
    }
}
