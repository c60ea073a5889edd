package io.cloudwarden.functions.telemetry;

import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ScanError;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scan listener that gives each shard of a pooled scan a {@value Telemetry#COLLECT} span, child of the scan span
 * current where it was created (the shards run on pool threads, which do not inherit it), records the shard's
 * duration, and passes every event on to {@code delegate}.
 */
final class ShardSpans implements ScanListener {
    private final Telemetry telemetry;
    private final ScanListener delegate;
    private final Context parent = Context.current();
    private final Map<Shard, Started> running = new ConcurrentHashMap<>();

    /** A running shard's span and start (a plain holder: nothing binds it, so no record to register for reflection). */
    private static final class Started {
        private final Span span;
        private final long nanos;

        Started(Span span, long nanos) {
            this.span = span;
            this.nanos = nanos;
        }

        Span span() {
            return span;
        }

        long nanos() {
            return nanos;
        }
    }

    ShardSpans(Telemetry telemetry, ScanListener delegate) {
        this.telemetry = telemetry;
        this.delegate = delegate;
    }

    @Override
    public void planned(List<Shard> shards) {
        delegate.planned(shards);
    }

    @Override
    public void planned(int shards) {
        delegate.planned(shards);
    }

    @Override
    public void shardStarted(Shard shard) {
        running.put(shard, new Started(telemetry.start(Telemetry.COLLECT, parent, SpanKind.INTERNAL,
                Telemetry.shardAttributes(shard)), System.nanoTime()));
        delegate.shardStarted(shard);
    }

    @Override
    public void shardFinished(Shard shard, int resources) {
        end(shard, null, resources);
        delegate.shardFinished(shard, resources);
    }

    @Override
    public void shardFailed(Shard shard, ScanError error) {
        end(shard, error, 0);
        delegate.shardFailed(shard, error);
    }

    private void end(Shard shard, ScanError error, int resources) {
        Started s = running.remove(shard);
        if (s == null) {
            return;
        }
        telemetry.metrics().shardCollected(shard, Duration.ofNanos(System.nanoTime() - s.nanos()), error != null);
        if (error != null) {
            s.span().setStatus(StatusCode.ERROR, error.code());
        } else {
            s.span().setAttribute(Telemetry.RESOURCES, resources);
        }
        s.span().end();
    }
}
