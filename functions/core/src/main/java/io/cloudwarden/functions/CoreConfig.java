package io.cloudwarden.functions;

import io.cloudwarden.engine.remediation.Guardrails;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runtime configuration of the core, read from flat keys (a properties file, system properties {@code cloudwarden.*}
 * and environment variables {@code CLOUDWARDEN_*}; later sources win). Keys:
 * <ul>
 * <li>{@code cloudwarden.state} — state location: a directory, or {@code s3://bucket/prefix},
 * {@code azblob://account/container/prefix}, {@code gs://bucket/prefix}. Env {@code CLOUDWARDEN_STATE_DIR} also
 * works. Default {@code ~/.cloudwarden}.</li>
 * <li>{@code cloudwarden.policies} — a rules file or directory; default the built-in pack.</li>
 * <li>{@code cloudwarden.apply} — {@code true} to let remediation act; anything else is a dry run.</li>
 * <li>{@code cloudwarden.guardrails.max-changes}, {@code .max-fraction}, {@code .fraction-floor},
 * {@code .two-person-actions} (comma list), {@code .plan-ttl} (ISO-8601 duration, e.g. {@code PT4H}).</li>
 * <li>{@code cloudwarden.<cloud>.endpoint}, {@code .accounts}, {@code .regions} (comma lists) and
 * {@code cloudwarden.<cloud>.<setting>} for provider settings (see each provider's README).</li>
 * <li>{@code cloudwarden.clouds} — the clouds a schedule scans (comma list); default every registered one.</li>
 * </ul>
 * Values are never printed: {@link #toString()} masks secrets.
 */
public record CoreConfig(Map<String, String> values) {
    public static final String PREFIX = "cloudwarden.";

    public CoreConfig {
        values = Map.copyOf(values);
    }

    public static CoreConfig of(Map<String, String> values) {
        return new CoreConfig(values);
    }

    /** Properties ({@code cloudwarden.*}) overlaid with system properties and {@code CLOUDWARDEN_*} environment. */
    public static CoreConfig fromEnvironment(Map<String, String> base, Map<String, String> env) {
        Map<String, String> v = new TreeMap<>(base);
        System.getProperties().forEach((k, val) -> {
            if (k.toString().startsWith(PREFIX)) {
                v.put(k.toString(), val.toString());
            }
        });
        env.forEach((k, val) -> {
            if (k.startsWith("CLOUDWARDEN_")) {
                String key = switch (k) {
                    case "CLOUDWARDEN_STATE_DIR" -> "cloudwarden.state";
                    default -> PREFIX + k.substring("CLOUDWARDEN_".length()).toLowerCase(Locale.ROOT)
                            .replace('_', '.');
                };
                v.put(key, val);
            }
        });
        return new CoreConfig(v);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String stateLocation() {
        return get("cloudwarden.state").orElse(Path.of(System.getProperty("user.home"), ".cloudwarden").toString());
    }

    public Optional<Path> policies() {
        return get("cloudwarden.policies").map(Path::of);
    }

    public Guardrails guardrails() {
        Guardrails d = Guardrails.defaults();
        return new Guardrails(
                !"true".equalsIgnoreCase(get("cloudwarden.apply").orElse("false")),
                intValue("cloudwarden.guardrails.max-changes", d.maxChangesPerRun()),
                doubleValue("cloudwarden.guardrails.max-fraction", d.maxFractionOfType()),
                intValue("cloudwarden.guardrails.fraction-floor", d.fractionFloor()),
                get("cloudwarden.guardrails.exempt-tag").orElse(d.exemptTag()),
                d.twoPersonRisk(),
                Set.copyOf(list("cloudwarden.guardrails.two-person-actions")),
                get("cloudwarden.guardrails.plan-ttl").map(Duration::parse).orElse(d.planTtl()));
    }

    /**
     * Rollout in waves (docs/ROLLOUT.md): {@code cloudwarden.rollout.waves} (fractions of every wave but the last,
     * default {@code 0.05,0.25}), {@code cloudwarden.rollout.pause} (ISO-8601 duration between waves, default
     * {@code PT0S}), {@code cloudwarden.rollout.window-tag} and one {@code cloudwarden.rollout.window.<name>} per
     * maintenance window ({@code Sat,Sun 02:00-05:00 UTC}).
     */
    public io.cloudwarden.engine.remediation.rollout.RolloutSettings rollout() {
        List<Double> waves = new java.util.ArrayList<>();
        for (String f : list("cloudwarden.rollout.waves")) {
            try {
                waves.add(Double.parseDouble(f));
            } catch (NumberFormatException e) {
                throw new ConfigException("cloudwarden.rollout.waves", "fractions between 0 and 1 such as 0.05,0.25",
                        f);
            }
        }
        Duration pause;
        try {
            pause = get("cloudwarden.rollout.pause").map(Duration::parse).orElse(Duration.ZERO);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("cloudwarden.rollout.pause", "an ISO-8601 duration such as PT10M",
                    get("cloudwarden.rollout.pause").orElse(""));
        }
        Map<String, io.cloudwarden.engine.remediation.rollout.MaintenanceWindow> windows = new HashMap<>();
        String prefix = "cloudwarden.rollout.window.";
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                try {
                    windows.put(k.substring(prefix.length()),
                            io.cloudwarden.engine.remediation.rollout.MaintenanceWindow.parse(v));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(k, "a window such as 'Sat,Sun 02:00-05:00 UTC' (" + e.getMessage()
                            + ")", v);
                }
            }
        });
        try {
            return new io.cloudwarden.engine.remediation.rollout.RolloutSettings(waves.isEmpty() ? null : waves,
                    pause, get("cloudwarden.rollout.window-tag").orElse(null), windows);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cloudwarden.rollout.waves", "fractions between 0 and 1 (exclusive)",
                    String.valueOf(waves));
        }
    }

    /** {@code cloudwarden.state.keep-snapshots}: full scans kept in the snapshot history (default 10). */
    public int keepSnapshots() {
        return intValue("cloudwarden.state.keep-snapshots", StateRepository.DEFAULT_KEEP_SNAPSHOTS);
    }

    /**
     * {@code cloudwarden.state.compact-after}: pending event updates that trigger a compaction, a whole number of at
     * least 1, or {@code auto} (the default, {@link StateRepository#COMPACT_AUTO}: as many as the base snapshot has
     * resources, between 100 and 2,000; see {@link StateRepository}).
     */
    public int compactAfter() {
        String key = "cloudwarden.state.compact-after";
        String v = get(key).map(String::trim).orElse("auto");
        if (v.equalsIgnoreCase("auto")) {
            return StateRepository.COMPACT_AUTO;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "'auto' or a whole number of at least 1", v);
    }

    public List<Cloud> clouds(Set<Cloud> registered) {
        List<String> named = list("cloudwarden.clouds");
        return named.isEmpty() ? registered.stream().sorted().toList() : named.stream().map(Cloud::of).toList();
    }

    /** The provider configuration of one cloud. */
    public ProviderConfig provider(Cloud cloud) {
        String p = PREFIX + cloud.id() + ".";
        Map<String, String> settings = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(p)) {
                String name = k.substring(p.length());
                if (!Set.of("endpoint", "accounts", "regions").contains(name)) {
                    settings.put(name, v);
                }
            }
        });
        Optional<URI> endpoint = get(p + "endpoint").map(s -> {
            try {
                return URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p + "endpoint", "a URL such as http://127.0.0.1:4566", s);
            }
        });
        return new ProviderConfig(cloud, endpoint, list(p + "accounts"), list(p + "regions"), settings);
    }

    public Map<Cloud, ProviderConfig> providers(Set<Cloud> clouds) {
        Map<Cloud, ProviderConfig> m = new EnumMap<>(Cloud.class);
        clouds.forEach(c -> m.put(c, provider(c)));
        return m;
    }

    public List<String> list(String key) {
        return get(key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
    }

    private int intValue(String key, int dflt) {
        String v = get(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "a whole number", v);
        }
    }

    private double doubleValue(String key, double dflt) {
        String v = get(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "a number between 0 and 1", v);
        }
    }

    public CoreConfig with(String key, String value) {
        Map<String, String> v = new HashMap<>(values);
        v.put(key, value);
        return new CoreConfig(v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CoreConfig{");
        new TreeMap<>(values).forEach((k, v) -> sb.append(k).append('=')
                .append(ProviderConfig.isSecretKey(k) ? "****" : v).append(", "));
        return sb.append('}').toString();
    }
}
