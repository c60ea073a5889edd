package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.ModelJson;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Claim checks on Google OIDC tokens, at a fixed clock. */
class OidcCheckTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String AUD = "https://cloudwarden-gcp-4x2k7q-uc.a.run.app";
    static final String SA = "cloudwarden-invoker@cw-demo-prod.iam.gserviceaccount.com";
    final OidcCheck check = new OidcCheck(List.of(AUD, AUD + "/pubsub"), List.of(SA),
            Clock.fixed(NOW, ZoneOffset.UTC));

    static ObjectNode claims() {
        return ModelJson.mapper().createObjectNode().put("aud", AUD).put("iss", "https://accounts.google.com")
                .put("email", SA).put("email_verified", true).put("exp", NOW.plusSeconds(600).getEpochSecond())
                .put("iat", NOW.minusSeconds(3000).getEpochSecond()).put("sub", "113927407226347895630");
    }

    Optional<Integer> status(ObjectNode claims) {
        return check.deny(HttpRequest.of("POST", "/pubsub", Map.of("Authorization", "Bearer " + Tokens.jwt(claims)),
                new byte[0])).map(HttpResponse::status);
    }

    @Test
    void aGoogleTokenForAConfiguredAudienceAndAccountPasses() {
        assertThat(status(claims())).isEmpty();
        assertThat(status(claims().put("aud", AUD + "/pubsub"))).isEmpty();
        assertThat(status(claims().put("iss", "accounts.google.com"))).isEmpty();
    }

    @Test
    void anAudienceListPassesWhenOneEntryMatches() {
        ObjectNode c = claims();
        c.putArray("aud").add("https://elsewhere.example.com").add(AUD);
        assertThat(status(c)).isEmpty();
    }

    @Test
    void expiryAllowsOneMinuteOfClockSkewAndNoMore() {
        assertThat(status(claims().put("exp", NOW.minusSeconds(59).getEpochSecond()))).isEmpty();
        assertThat(status(claims().put("exp", NOW.minusSeconds(61).getEpochSecond()))).contains(401);
        assertThat(status((ObjectNode) claims().without("exp"))).contains(401);
    }

    @Test
    void anUnverifiedOrMissingEmailIsForbidden() {
        assertThat(status(claims().put("email_verified", false))).contains(403);
        assertThat(status((ObjectNode) claims().without("email"))).contains(403);
    }

    @Test
    void theTokenIsNeverEchoedInTheAnswer() {
        String token = Tokens.jwt(claims().put("aud", "https://other.example.com"));
        HttpResponse r = check.deny(HttpRequest.of("POST", "/schedule", Map.of("Authorization", "Bearer " + token),
                new byte[0])).orElseThrow();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).doesNotContain(token).doesNotContain(token.substring(0, 20));
    }

    @Test
    void withoutConfiguredAudiencesNothingIsChecked() {
        OidcCheck off = new OidcCheck(List.of(), List.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(off.deny(HttpRequest.of("POST", "/schedule", Map.of(), new byte[0]))).isEmpty();
    }
}
