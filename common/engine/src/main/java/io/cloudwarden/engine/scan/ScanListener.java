package io.cloudwarden.engine.scan;

import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ScanError;

/**
 * Typed progress events of a scan. The engine never logs or prints: adapters (CLI progress line, function logs)
 * render these. Methods may be called from pool threads.
 */
public interface ScanListener {
    ScanListener NONE = new ScanListener() {
    };

    default void planned(int shards) {
    }

    /** The planned shards themselves (progress by cloud and type); by default only their number is passed on. */
    default void planned(java.util.List<Shard> shards) {
        planned(shards.size());
    }

    /** A shard starts being read, on the thread that reads it (timing, tracing); then shardFinished or shardFailed. */
    default void shardStarted(Shard shard) {
    }

    default void shardFinished(Shard shard, int resources) {
    }

    default void shardFailed(Shard shard, ScanError error) {
    }
}
