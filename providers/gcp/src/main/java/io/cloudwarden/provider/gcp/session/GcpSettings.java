package io.cloudwarden.provider.gcp.session;

import io.cloudwarden.engine.spi.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider-specific settings ({@code ProviderConfig.settings}), validated once.
 *
 * @param credentialsFile service account JSON key; absent = ADC (or unauthenticated with an endpoint override)
 * @param project quota/default project for clients that need one; defaults to the first account
 * @param maxAttempts attempts per call including the first (default 3)
 * @param initialRetryDelay first back-off (default 200 ms), doubling
 * @param requestTimeout per-request timeout (default 20 s)
 * @param totalTimeout cap over all attempts of one call (default 30 s)
 * @param pageSize ListAssets page size (default 500, CAI's maximum is 1000)
 * @param organization numeric organization id whose active projects are scanned when no accounts are configured
 */
public record GcpSettings(Optional<Path> credentialsFile, Optional<String> project, int maxAttempts,
        Duration initialRetryDelay, Duration requestTimeout, Duration totalTimeout, int pageSize,
        Optional<String> organization) {

    public static GcpSettings from(ProviderConfig config) {
        Optional<Path> file = config.setting("credentialsFile").map(Path::of);
        file.ifPresent(p -> {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException(
                        "settings.credentialsFile: expected a readable service account JSON file but '" + p
                                + "' cannot be read");
            }
        });
        return new GcpSettings(file, config.setting("project"),
                intSetting(config, "maxAttempts", 3, 1, 20),
                Duration.ofMillis(intSetting(config, "initialRetryDelayMillis", 200, 1, 60_000)),
                Duration.ofSeconds(intSetting(config, "requestTimeoutSeconds", 20, 1, 600)),
                Duration.ofSeconds(intSetting(config, "totalTimeoutSeconds", 30, 1, 3600)),
                intSetting(config, "pageSize", 500, 1, 1000),
                config.setting("organization").map(o -> {
                    String id = o.trim().replaceFirst("^organizations/", "");
                    if (!id.matches("[0-9]+")) {
                        throw new IllegalArgumentException("settings.organization: expected a numeric organization id "
                                + "(e.g. 738290111542) but was '" + o + "'");
                    }
                    return id;
                }));
    }

    private static int intSetting(ProviderConfig config, String key, int dflt, int min, int max) {
        Optional<String> v = config.setting(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.get().trim());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("settings." + key + ": expected an integer between " + min + " and "
                    + max + " but was '" + v.get() + "'");
        }
    }
}
