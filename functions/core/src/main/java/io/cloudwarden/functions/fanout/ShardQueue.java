package io.cloudwarden.functions.fanout;

/**
 * Where the scheduled function puts the shards of a run: the cloud's work queue (SQS, Storage Queue, Pub/Sub), the
 * same queue remediation requests travel on, consumed by the queue function. A send that fails throws (the cloud's
 * {@code ProviderException}); the planner then fails the tick so the timer's retry re-plans the same run.
 */
@FunctionalInterface
public interface ShardQueue {
    void enqueue(ScanRequest request);
}
