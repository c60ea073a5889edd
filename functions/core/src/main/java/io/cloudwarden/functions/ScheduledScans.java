package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.scan.ScanRun;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.state.Versioned;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.logging.ScanSummary;
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
 * The one scheduled-scan entry point of every binding (EventBridge Scheduler or rule, an Azure timer, Cloud
 * Scheduler, an EventBridge "Scheduled Event" reaching the event path): a full scan per tick, at most once per
 * (job, slot). Timers are at-least-once and may fire twice for one slot, so the tick is claimed in the state store
 * before scanning; a second delivery of the same slot is reported as a duplicate and scans nothing. The slot
 * deliberately ignores per-attempt ids (Scheduler's execution id, a retry's attempt number): a retried tick of the
 * same slot is the same tick. A tick that fails releases its slot (status {@code failed}), so the platform's retry
 * of that tick runs again; a slot whose run is still {@code running} (or whose instance died mid-run) is not run
 * twice — the next slot covers it.
 *
 * <p>With fan-out enabled ({@link FanOut#enabled()}) the tick only plans: it merges the earlier runs that are due
 * ({@link FanOut#sweep}) and queues one {@code scan.requested} message per shard; the queue function collects and
 * merges. Otherwise the tick scans on this instance's bounded pool, with the same shard plan.
 */
public final class ScheduledScans {
    private final Cloudwarden cw;
    private final Detector detector;
    private final FanOut fanOut;

    public ScheduledScans(Cloudwarden cw, Detector detector) {
        this(cw, detector, new FanOut(cw, detector, Optional.empty()));
    }

    public ScheduledScans(Cloudwarden cw, Detector detector, FanOut fanOut) {
        this.cw = cw;
        this.detector = detector;
        this.fanOut = fanOut;
    }

    /**
     * One tick of a timer: which job, which slot of it (the scheduled time, or what the platform names the
     * occurrence by: an Azure timer's {@code Last/Next} pair), and who fired it (the schedule as a service actor).
     */
    public record Tick(String job, String slot, Actor firedBy) {
        public Tick {
            if (job == null || job.isBlank()) {
                throw new IllegalArgumentException("job: expected a non-empty job name");
            }
            if (slot == null || slot.isBlank()) {
                throw new IllegalArgumentException("slot: expected the scheduled time (or slot id) of the tick");
            }
            firedBy = firedBy == null ? Actor.SYSTEM : firedBy;
        }

        public Tick(String job, Instant scheduledTime, Actor firedBy) {
            this(job, scheduledTime == null ? null : scheduledTime.toString(), firedBy);
        }

        /** The idempotency key and the scan's trigger: job + slot. */
        public String key() {
            return "schedule:" + job + "@" + slot;
        }
    }

    /**
     * What one tick did: nothing when the slot had already been claimed ({@code duplicate}); else the scan it ran, or
     * — fanned out — the run it planned and the earlier runs it merged.
     */
    public record Run(Tick tick, boolean duplicate, Optional<ScanOutcome> scan, Optional<ScanRun> planned,
            List<ScanOutcome> merged) {
        public Run {
            scan = scan == null ? Optional.empty() : scan;
            planned = planned == null ? Optional.empty() : planned;
            merged = merged == null ? List.of() : List.copyOf(merged);
        }
    }

    /** Claims the tick's slot and, the first time only, scans (or plans the scan of) {@code clouds}, every type. */
    public Run run(Tick tick, Collection<Cloud> clouds) {
        String path = slotKey(tick.job() + "|" + tick.key());
        if (!claim(path, tick.job(), tick.slot())) {
            cw.audit().append(tick.firedBy(), "schedule", tick.key(), "duplicate",
                    ModelJson.mapper().createObjectNode().put("job", tick.job()));
            return new Run(tick, true, Optional.empty(), Optional.empty(), List.of());
        }
        Run run;
        try {
            if (fanOut.enabled()) {
                List<ScanOutcome> merged = fanOut.sweep();
                // a fanned-out scan completes when it is merged: its summary has no shard counts of this instance
                merged.forEach(m -> ScanSummary.log(clouds, "fanout merged by " + tick.key(), m, null,
                        java.time.Duration.between(m.snapshot().takenAt(), cw.clock().instant())));
                ScanRun planned = fanOut.plan(List.copyOf(clouds), Set.of(), tick.key(), tick.firedBy());
                run = new Run(tick, false, Optional.empty(), Optional.of(planned), merged);
            } else {
                ScanSummary.Counter shards = new ScanSummary.Counter();
                long started = System.nanoTime();
                ScanOutcome scan = detector.scan(List.copyOf(clouds), Set.of(), tick.key(), tick.firedBy(), shards);
                ScanSummary.log(clouds, tick.key(), scan, shards, java.time.Duration.ofNanos(System.nanoTime()
                        - started));
                run = new Run(tick, false, Optional.of(scan), Optional.empty(), List.of());
            }
        } catch (RuntimeException e) {
            cw.repository().putJson(path, slot(tick.job(), tick.slot(), "failed"), Precondition.NONE);
            throw e;
        }
        cw.repository().putJson(path, slot(tick.job(), tick.slot(), "done"), Precondition.NONE);
        return run;
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
