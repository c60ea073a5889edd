package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach one cloud. {@code accounts}: AWS account ids (with {@code assumeRole} for organization fan-out),
 * Azure subscription ids, GCP project ids; empty = what the credentials can see. {@code regions}: empty = all the
 * provider discovers. {@code endpoint}: overrides every API root (LocalStack, a recorded-response server, a private
 * endpoint). {@code settings}: provider-specific keys (documented per provider); keys ending in {@code secret},
 * {@code key}, {@code token} or {@code password} are never printed.
 */
public record ProviderConfig(
        Cloud cloud,
        Optional<URI> endpoint,
        List<String> accounts,
        List<String> regions,
        Map<String, String> settings) {
    public ProviderConfig {
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        regions = regions == null ? List.of() : List.copyOf(regions);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public static ProviderConfig defaults(Cloud cloud) {
        return new ProviderConfig(cloud, Optional.empty(), List.of(), List.of(), Map.of());
    }

    /**
     * A setting by name. An exact match wins; otherwise the name matches ignoring case and the separators
     * {@code - _ .}, so {@code maxAttempts} is also found as {@code maxattempts}, {@code max-attempts} or
     * {@code max.attempts} — the forms environment variables ({@code CLOUDWARDEN_AWS_MAX_ATTEMPTS}) produce.
     */
    public Optional<String> setting(String key) {
        String exact = settings.get(key);
        if (exact == null) {
            String wanted = fold(key);
            exact = settings.entrySet().stream().filter(e -> fold(e.getKey()).equals(wanted))
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        }
        return Optional.ofNullable(exact).filter(v -> !v.isBlank());
    }

    private static String fold(String key) {
        return key.replace("-", "").replace("_", "").replace(".", "").toLowerCase(java.util.Locale.ROOT);
    }

    public ProviderConfig withEndpoint(URI uri) {
        return new ProviderConfig(cloud, Optional.ofNullable(uri), accounts, regions, settings);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProviderConfig[cloud=").append(cloud).append(", endpoint=")
                .append(endpoint.map(URI::toString).orElse("default")).append(", accounts=").append(accounts)
                .append(", regions=").append(regions).append(", settings={");
        settings.keySet().stream().sorted().forEach(k -> sb.append(k).append('=')
                .append(isSecretKey(k) ? "****" : settings.get(k)).append(','));
        return sb.append("}]").toString();
    }

    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.endsWith("secret") || k.endsWith("key") || k.endsWith("token") || k.endsWith("password")
                || k.contains("credential");
    }
}
