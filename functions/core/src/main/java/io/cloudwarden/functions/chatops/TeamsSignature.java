package io.cloudwarden.functions.chatops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Teams outgoing-webhook authentication: {@code Authorization: HMAC <base64>} must equal
 * base64(HMAC-SHA256(key = base64-decoded security token, raw body bytes)), compared in constant time.
 */
public final class TeamsSignature {
    private final byte[] key;

    /** @throws IllegalArgumentException when the configured token is not base64 (the message does not quote it) */
    public TeamsSignature(String base64SecurityToken) {
        try {
            this.key = Base64.getDecoder().decode(base64SecurityToken.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cloudwarden.teams.secret: expected the base64 security token Teams"
                    + " shows when the outgoing webhook is created");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("cloudwarden.teams.secret: expected a non-empty base64 token");
        }
    }

    public String sign(byte[] body) {
        return "HMAC " + Base64.getEncoder().encodeToString(SlackSignature.hmac(key).doFinal(body));
    }

    public void verify(String authorizationHeader, byte[] body) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new SignatureException("Authorization: missing (expected HMAC <base64>)");
        }
        if (!authorizationHeader.trim().regionMatches(true, 0, "HMAC ", 0, 5)) {
            throw new SignatureException("Authorization: expected the HMAC scheme");
        }
        byte[] expected = Base64.getEncoder().encode(SlackSignature.hmac(key).doFinal(body));
        byte[] given = authorizationHeader.trim().substring(5).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new SignatureException("Authorization: HMAC does not match the body");
        }
    }
}
