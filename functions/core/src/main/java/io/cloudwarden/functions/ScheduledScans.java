package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.state.Versioned;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Hashing;
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
 * number): a retried tick of the same slot is the same tick. A scan that fails releases its slot (status
 * {@code failed}), so the platform's retry of that tick scans again; a slot whose run is still {@code running} (or
 * whose instance died mid-run) is not scanned twice — the next slot covers it.
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
        Optional<ScanOutcome> scan = runSlot(tick.key(), tick.job(), tick.scheduledTime().toString(), tick.firedBy(),
                clouds);
        return new Run(tick, scan.isEmpty(), scan);
    }

    /**
     * The same for a tick named by an opaque slot id (an Azure timer's schedule status, a Cloud Scheduler header, an
     * EventBridge event id): {@code key} names the tick within {@code job} and is the scan's trigger; empty when the
     * slot had already been claimed.
     */
    public Optional<ScanOutcome> runSlot(String key, String job, String slotId, Actor firedBy,
            Collection<Cloud> clouds) {
        String path = slotKey(job + "|" + key);
        if (!claim(path, job, slotId)) {
            cw.audit().append(firedBy, "schedule", key, "duplicate",
                    ModelJson.mapper().createObjectNode().put("job", job));
            return Optional.empty();
        }
        ScanOutcome outcome;
        try {
            outcome = detector.scan(List.copyOf(clouds), Set.of(), key, firedBy, ScanListener.NONE);
        } catch (RuntimeException e) {
            cw.repository().putJson(path, slot(job, slotId, "failed"), Precondition.NONE);
            throw e;
        }
        cw.repository().putJson(path, slot(job, slotId, "done"), Precondition.NONE);
        return Optional.of(outcome);
    }

    /** First claim of the slot, or a re-claim of a slot whose run failed; false when another run owns it. */
    private boolean claim(String key, String job, String slotId) {
        Optional<Versioned<JsonNode>> current = cw.repository().getJsonVersioned(key, JsonNode.class);
        try {
            if (current.isEmpty()) {
                cw.repository().putJson(key, slot(job, slotId, "running"), Precondition.IF_ABSENT);
                return true;
            }
            if ("failed".equals(current.get().value().path("status").asText())) {
                cw.repository().putJson(key, slot(job, slotId, "running"),
                        Precondition.ifMatch(current.get().version()));
                return true;
            }
            return false;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    private static String slotKey(String key) {
        return "schedules/" + Hashing.sha256Hex(key) + ".json";
    }

    private ObjectNode slot(String job, String slotId, String status) {
        return ModelJson.mapper().createObjectNode().put("job", job)
                .put("scheduledTime", slotId).put("status", status)
                .put("at", cw.clock().instant().toString());
    }
}
