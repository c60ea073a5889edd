package io.cloudwarden.engine.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * The digest of one closed segment, written once to {@code audit/digests/<segment>.json} (in the digest store, a
 * write-once bucket where the cloud offers it). The signed message is the canonical JSON (sorted keys, no
 * whitespace, UTF-8) of the digest without {@code signature}; {@code previousDigestHash} is the SHA-256 hex of the
 * canonical JSON of the previous segment's whole digest, signature included ({@code 64 zeros} for the first), so
 * digests form their own chain.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "segment", "firstSeq", "lastSeq", "records", "firstTime", "lastTime",
        "firstPrevHash", "lastHash", "previousDigestHash", "signature"})
public record SegmentDigest(String format, long segment, long firstSeq, long lastSeq, long records,
        Instant firstTime, Instant lastTime, String firstPrevHash, String lastHash, String previousDigestHash,
        Signature signature) {
    public static final String FORMAT = "cloudwarden-audit-digest/1";

    /** {@code value}: base64 of the signature bytes; absent when no signing key is configured. */
    @JsonPropertyOrder({"keyId", "algorithm", "value"})
    public record Signature(String keyId, String algorithm, String value) {
    }

    SegmentDigest withSignature(Signature s) {
        return new SegmentDigest(format, segment, firstSeq, lastSeq, records, firstTime, lastTime, firstPrevHash,
                lastHash, previousDigestHash, s);
    }
}
