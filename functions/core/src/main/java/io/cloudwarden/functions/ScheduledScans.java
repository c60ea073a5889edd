package io.cloudwarden.functions;

import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The timer use case shared by every binding (EventBridge Scheduler, an Azure timer, Cloud Scheduler): a full scan
 * per tick, at most once per (job, scheduled time). Timers are at-least-once and may fire twice for one slot, so the
 * tick is claimed in the state store before scanning; a second delivery of the same slot is reported as a duplicate
 * and scans nothing. The key deliberately ignores per-attempt ids (Scheduler's execution id, a retry's attempt
 * number): a retried tick of the same slot is the same tick.
 */
public final class ScheduledScans {
    private final Cloudwarden cw;
    private final Detector detector;

    public ScheduledScans(Cloudwarden cw, Detector detector) {
        this.cw = cw;
        this.detector = detector;
    }

    /** One tick of a timer: which job, for which slot, and who fired it (the schedule as a service actor). */
    public record Tick(String job, Instant scheduledTime, Actor firedBy) {
        public Tick {
            if (job == null || job.isBlank()) {
                throw new IllegalArgumentException("job: expected a non-empty job name");
            }
            if (scheduledTime == null) {
                throw new IllegalArgumentException("scheduledTime: expected the scheduled time of the tick");
            }
            firedBy = firedBy == null ? Actor.SYSTEM : firedBy;
        }

        /** The idempotency key: job + scheduled time. */
        public String key() {
            return "schedule:" + job + "@" + scheduledTime;
        }
    }

    /** What one tick did: the scan it ran, or nothing when the slot had already been claimed. */
    public record Run(Tick tick, boolean duplicate, Optional<ScanOutcome> scan) {
        public Run {
            scan = scan == null ? Optional.empty() : scan;
        }
    }

    /** Claims the tick's slot and, the first time only, scans {@code clouds} (every type). */
    public Run run(Tick tick, Collection<Cloud> clouds) {
        boolean first = cw.repository().claimOnce(tick.key(), ModelJson.mapper().createObjectNode()
                .put("job", tick.job()).put("scheduledTime", tick.scheduledTime().toString())
                .put("claimedAt", cw.clock().instant().toString()));
        if (!first) {
            cw.audit().append(tick.firedBy(), "schedule", tick.key(), "duplicate",
                    ModelJson.mapper().createObjectNode().put("job", tick.job()));
            return new Run(tick, true, Optional.empty());
        }
        ScanOutcome outcome = detector.scan(List.copyOf(clouds), Set.of(), tick.key(), tick.firedBy(),
                ScanListener.NONE);
        return new Run(tick, false, Optional.of(outcome));
    }
}
