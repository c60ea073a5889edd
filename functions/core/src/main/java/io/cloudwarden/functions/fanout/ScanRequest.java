package io.cloudwarden.functions.fanout;

import io.cloudwarden.engine.scan.ScanRuns;
import io.cloudwarden.engine.spi.Shard;
import java.time.Instant;
import java.util.Objects;

/**
 * One shard of a fanned-out run, sent on the work queue as a CloudEvent of type {@value #TYPE}
 * ({@link io.cloudwarden.functions.CloudEventCodec#encode(ScanRequest)}): data
 * {@code {"run", "shard": {"cloud","account","region","type"}, "deadline"}}. The CloudEvent id ({@link #id()}) is
 * the run and the shard, the same on every re-send, so queues that deduplicate (SQS FIFO) can.
 */
public record ScanRequest(String run, Shard shard, Instant deadline) {
    public static final String TYPE = "io.cloudwarden.scan.requested.v1";

    public ScanRequest {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(deadline, "deadline");
    }

    public String id() {
        return run + "/" + ScanRuns.shardKey(shard);
    }
}
