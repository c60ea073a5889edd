package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of the Cloud Run app itself (the provider's own settings stay in {@code cloudwarden.gcp.*} and are
 * read by the provider).
 *
 * @param topic {@code cloudwarden.gcp.topic}: the Pub/Sub topic remediation requests are published to
 *        ({@code projects/P/topics/T}); empty = handled in process
 * @param endpoint {@code cloudwarden.gcp.endpoint}: root URL replacing every Google API, Pub/Sub included
 * @param credentialsFile {@code cloudwarden.gcp.credentialsFile}: service account key; else ADC (none with an
 *        endpoint override)
 * @param oidcAudiences {@code cloudwarden.gcp.oidc-audience} (comma list): when set, {@code /schedule} and
 *        {@code /pubsub} require a Google-issued OIDC token whose {@code aud} is one of them
 * @param oidcEmails {@code cloudwarden.gcp.oidc-email} (comma list): when set, the token's {@code email} must be one
 *        of these service accounts (and {@code email_verified} true)
 */
public record GcpAppSettings(Optional<String> topic, Optional<URI> endpoint, Optional<Path> credentialsFile,
        List<String> oidcAudiences, List<String> oidcEmails) {
    public static final String TOPIC = "cloudwarden.gcp.topic";
    public static final String OIDC_AUDIENCE = "cloudwarden.gcp.oidc-audience";
    public static final String OIDC_EMAIL = "cloudwarden.gcp.oidc-email";
    private static final Pattern TOPIC_NAME = Pattern.compile("projects/[^/]+/topics/[^/]+");

    public GcpAppSettings {
        oidcAudiences = List.copyOf(oidcAudiences);
        oidcEmails = List.copyOf(oidcEmails);
    }

    public static GcpAppSettings from(CoreConfig config) {
        Optional<String> topic = get(config, TOPIC);
        topic.ifPresent(t -> {
            if (!TOPIC_NAME.matcher(t).matches()) {
                throw new ConfigException(TOPIC, "a topic name like projects/my-project/topics/cloudwarden-work", t);
            }
        });
        Optional<URI> endpoint = config.provider(io.cloudwarden.model.Cloud.GCP).endpoint();
        Optional<Path> credentials = get(config, "cloudwarden.gcp.credentialsFile").map(Path::of);
        credentials.ifPresent(p -> {
            if (!Files.isReadable(p)) {
                throw new ConfigException("cloudwarden.gcp.credentialsFile", "a readable service account JSON file",
                        p.toString());
            }
        });
        return new GcpAppSettings(topic, endpoint, credentials, list(config, OIDC_AUDIENCE), list(config, OIDC_EMAIL));
    }

    /**
     * A key as written ({@code oidc-audience}) or as {@link CoreConfig#fromEnvironment} derives it from an
     * environment variable ({@code CLOUDWARDEN_GCP_OIDC_AUDIENCE} → {@code cloudwarden.gcp.oidc.audience}).
     */
    private static Optional<String> get(CoreConfig config, String key) {
        return config.get(key).or(() -> config.get(key.replace('-', '.')));
    }

    private static List<String> list(CoreConfig config, String key) {
        return get(config, key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .toList()).orElse(List.of());
    }
}
