package io.cloudwarden.functions.chatops;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack request signing, version {@code v0}: {@code X-Slack-Signature} must equal {@code v0=} + hex
 * HMAC-SHA256(signing secret, {@code "v0:" + X-Slack-Request-Timestamp + ":" + raw body}), compared in constant time,
 * and the timestamp must be within {@link #TOLERANCE} of now. Replay of a valid signature inside that window is
 * caught separately (see {@link SlackHandler}).
 */
public final class SlackSignature {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    public static final String SIGNATURE_HEADER = "x-slack-signature";
    public static final String TIMESTAMP_HEADER = "x-slack-request-timestamp";

    private final byte[] secret;

    public SlackSignature(String signingSecret) {
        this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code v0=…} signature of a body sent at {@code timestamp} (Unix seconds, as the header carries it). */
    public String sign(String timestamp, byte[] body) {
        Mac mac = hmac(secret);
        mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
        return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Verifies the headers against the raw body; throws {@link SignatureException} naming what is wrong. */
    public void verify(String timestampHeader, String signatureHeader, byte[] body, Instant now) {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            throw new SignatureException("X-Slack-Request-Timestamp: missing");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new SignatureException("X-Slack-Signature: missing");
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            throw new SignatureException("X-Slack-Request-Timestamp: expected Unix seconds");
        }
        long skew = Math.abs(now.getEpochSecond() - ts);
        if (ts < 0 || skew > TOLERANCE.toSeconds()) {
            throw new SignatureException("X-Slack-Request-Timestamp: more than 5 minutes from now (stale or replayed)");
        }
        byte[] expected = sign(timestampHeader.trim(), body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHeader.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new SignatureException("X-Slack-Signature: does not match the body");
        }
    }

    static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
