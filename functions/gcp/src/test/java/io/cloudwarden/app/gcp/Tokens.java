package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Google-issued OIDC ID tokens as Cloud Scheduler and Pub/Sub push attach them (RS256 JWT: {@code aud}, {@code azp},
 * {@code email}, {@code email_verified}, {@code exp}, {@code iat}, {@code iss}, {@code sub}). The signature part is
 * opaque bytes: signatures are Cloud Run's to verify (see {@link OidcCheck}).
 */
final class Tokens {
    private Tokens() {
    }

    static String google(String audience, String email, Instant expires) {
        ObjectNode claims = ModelJson.mapper().createObjectNode()
                .put("aud", audience)
                .put("azp", "113927407226347895630")
                .put("email", email)
                .put("email_verified", true)
                .put("exp", expires.getEpochSecond())
                .put("iat", expires.minusSeconds(3600).getEpochSecond())
                .put("iss", "https://accounts.google.com")
                .put("sub", "113927407226347895630");
        return jwt(claims);
    }

    static String valid() {
        return google(GoogleApis.AUDIENCE, GoogleApis.INVOKER, Instant.now().plusSeconds(3600));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String jwt(ObjectNode claims) {
        ObjectNode header = ModelJson.mapper().createObjectNode().put("alg", "RS256")
                .put("kid", "5aaff47c21d06e266cce395b2145c7c6d4730ea5").put("typ", "JWT");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not-verified-by-the-app".getBytes(StandardCharsets.UTF_8));
    }
}
