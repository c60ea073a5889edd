package io.cloudwarden.functions.chatops;

import io.cloudwarden.functions.CoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * The allow-list of {@code response_url}s Cloudwarden will POST to: {@code cloudwarden.slack.response-url-prefixes}
 * (comma list), by default only {@code https://hooks.slack.com/}. A URL qualifies when it is absolute, has a host and
 * no user info and, normalised, starts with a prefix (scheme included) — so a signed request cannot make Cloudwarden
 * POST to an arbitrary host (SSRF). Configure prefixes that end with {@code /} so a look-alike host cannot match.
 */
public final class ResponseUrls {
    public static final String KEY = "cloudwarden.slack.response-url-prefixes";
    public static final String DEFAULT_PREFIX = "https://hooks.slack.com/";

    private final List<String> prefixes;

    public ResponseUrls(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public static ResponseUrls from(CoreConfig config) {
        List<String> p = config.list(KEY);
        if (p.isEmpty()) {
            // The environment form CLOUDWARDEN_SLACK_RESPONSE_URL_PREFIXES maps every '_' to '.'.
            p = config.list("cloudwarden.slack.response.url.prefixes");
        }
        return new ResponseUrls(p.isEmpty() ? List.of(DEFAULT_PREFIX) : p);
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** The URL when it is allowed; empty otherwise. */
    public Optional<URI> check(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim()).normalize();
            if (!uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getHost() == null) {
                return Optional.empty();
            }
            String s = uri.toString();
            return prefixes.stream().anyMatch(s::startsWith) ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
