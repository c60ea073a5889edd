package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The schedule use case for bindings whose timer hands over its tick directly (an Azure Functions timer, a Cloud
 * Scheduler job) rather than as a cloud event: a full scan per tick, run at most once per tick. Timers are
 * at-least-once (a host restart can fire a tick twice, a scale-out can race), so the tick's key — the scheduled
 * time(s) the timer reports — is claimed in the state store first and a tick already claimed is skipped.
 */
public final class ScheduledScan {
    private final Cloudwarden cw;
    private final Detector detector;

    public ScheduledScan(Cloudwarden cw, Detector detector) {
        this.cw = cw;
        this.detector = detector;
    }

    /**
     * Scans {@code clouds} for the tick {@code tickKey} unless that tick already ran; empty when it did.
     *
     * @param tickKey identifies the scheduled occurrence (not the delivery), e.g. {@code azure-timer:<last>/<next>}
     * @param tick the timer payload, kept with the idempotency record
     */
    public Optional<ScanOutcome> runOnce(String tickKey, Collection<Cloud> clouds, JsonNode tick) {
        if (tickKey == null || tickKey.isBlank()) {
            throw new IllegalArgumentException("tickKey: expected the scheduled time of the tick, got nothing");
        }
        if (!cw.repository().claimOnce("schedule:" + tickKey, tick)) {
            return Optional.empty();
        }
        return Optional.of(detector.scan(clouds, Set.of(), "schedule:" + tickKey, Actor.SYSTEM, ScanListener.NONE));
    }
}
