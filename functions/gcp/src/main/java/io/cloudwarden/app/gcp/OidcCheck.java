package io.cloudwarden.app.gcp;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the Google-issued OIDC token that Cloud Scheduler and Pub/Sub push attach as
 * {@code Authorization: Bearer <JWT>}: {@code iss} is Google's, {@code aud} one of the configured audiences, the
 * token has not expired (60 s leeway), and — when service accounts are configured — {@code email} is one of them
 * with {@code email_verified}.
 *
 * <p>The token's <em>signature</em> is not verified here: the service is deployed with authenticated invocation
 * (no {@code allUsers} invoker), so Cloud Run's front end has already verified the signature and the caller's
 * {@code run.invoker} permission before the request reaches the container. This check pins what IAM does not: that
 * the token was minted for this app and its trigger. Failures answer 401 (no / unreadable / expired / foreign
 * token) or 403 (a valid Google token for another audience or identity); the token is never echoed.
 */
public final class OidcCheck {
    static final Set<String> GOOGLE_ISSUERS = Set.of("https://accounts.google.com", "accounts.google.com");
    private static final long LEEWAY_SECONDS = Duration.ofMinutes(1).toSeconds();

    private final List<String> audiences;
    private final List<String> emails;
    private final Clock clock;

    public OidcCheck(List<String> audiences, List<String> emails, Clock clock) {
        this.audiences = List.copyOf(audiences);
        this.emails = List.copyOf(emails);
        this.clock = clock;
    }

    public boolean enabled() {
        return !audiences.isEmpty();
    }

    /** Empty when the request may pass; else the 401/403 answer. */
    public Optional<HttpResponse> deny(HttpRequest request) {
        if (!enabled()) {
            return Optional.empty();
        }
        String header = request.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return Optional.of(HttpResponse.error(401, "Authorization: expected 'Bearer <Google OIDC token>'"));
        }
        JsonWebToken.Payload claims;
        try {
            claims = JsonWebSignature.parser(GsonFactory.getDefaultInstance()).parse(header.substring(7).trim())
                    .getPayload();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(HttpResponse.error(401, "Authorization: the bearer token is not a JWT"));
        }
        if (claims.getIssuer() == null || !GOOGLE_ISSUERS.contains(claims.getIssuer())) {
            return Optional.of(HttpResponse.error(401, "Authorization: token issuer is not accounts.google.com"));
        }
        Long exp = claims.getExpirationTimeSeconds();
        long now = clock.instant().getEpochSecond();
        if (exp == null || exp + LEEWAY_SECONDS < now) {
            return Optional.of(HttpResponse.error(401, "Authorization: token expired"));
        }
        List<String> aud = claims.getAudienceAsList();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            return Optional.of(HttpResponse.error(403, "Authorization: token audience is not one this service"
                    + " accepts (" + OIDC_AUDIENCE_KEY + ")"));
        }
        if (!emails.isEmpty()) {
            Object email = claims.get("email");
            Object verified = claims.get("email_verified");
            if (!(email instanceof String e) || !emails.contains(e) || !Boolean.TRUE.equals(verified)) {
                return Optional.of(HttpResponse.error(403, "Authorization: token identity is not one this service"
                        + " accepts (" + GcpAppSettings.OIDC_EMAIL + ")"));
            }
        }
        return Optional.empty();
    }

    private static final String OIDC_AUDIENCE_KEY = GcpAppSettings.OIDC_AUDIENCE;
}
