package io.cloudwarden.engine.audit;

import java.util.List;
import java.util.OptionalLong;

/**
 * The outcome of {@link AuditChain#verify}. {@code status}: {@link Status#INTACT}, {@link Status#BROKEN} (at least
 * one {@link Problem}) or {@link Status#NO_TRAIL} (nothing to verify: never "intact"). {@code records} and
 * {@code segments}: how many were checked; {@code signedDigests}: digests whose signature verified under the trusted
 * key; {@code notes}: what a reader should know that is not tampering (an open segment not yet covered by a digest,
 * unsigned digests, no trusted key given).
 */
public record AuditVerification(Status status, long records, int segments, int signedDigests, List<Problem> problems,
        List<String> notes) {
    public enum Status { INTACT, BROKEN, NO_TRAIL }

    /** What kind of damage a problem is; each names itself in {@code audit verify}'s output. */
    public enum Kind {
        /** A record's content, seq or prevHash does not match (edited, inserted, moved, or an unparseable line). */
        EDITED_RECORD,
        /** A segment holds fewer records than its digest counts: records were dropped from its end. */
        DROPPED_TAIL,
        /** A segment is gone while later segments or its digest remain. */
        MISSING_SEGMENT,
        /** A segment's last hash differs from its digest's with the same count: the chain was recomputed. */
        RECOMPUTED_CHAIN,
        /** A digest is signed by a key other than the trusted one. */
        FOREIGN_KEY,
        /** A digest's signature does not verify under the trusted key. */
        BAD_SIGNATURE,
        /** A digest's previous-digest hash does not match, or a digest is missing between signed ones. */
        BROKEN_DIGEST_CHAIN,
        /** The pre-segment {@code audit.jsonl} changed after the trail moved to segments. */
        LEGACY_CHANGED
    }

    /** One finding: its kind, the segment (0 = the legacy {@code audit.jsonl}) and seq when known, and a sentence. */
    public record Problem(Kind kind, long segment, OptionalLong seq, String message) {
    }

    public AuditVerification {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean intact() {
        return status == Status.INTACT;
    }

    /** The first problem's seq, when one names a record. */
    public OptionalLong firstBrokenSeq() {
        return problems.stream().map(Problem::seq).filter(OptionalLong::isPresent).findFirst()
                .orElse(OptionalLong.empty());
    }
}
