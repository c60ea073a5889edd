package io.cloudwarden.provider.azure.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Client-side sliding-window limiter for Azure Resource Graph, whose documented per-user quota is 15 queries per
 * 5 seconds. {@link #acquire()} blocks until a permit is free. The clock and sleeper are injectable so the
 * behaviour is tested without timing assertions.
 */
public final class RateLimiter {
    /** Sleeps for the given number of nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final int permits;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final Deque<Long> issued = new ArrayDeque<>();

    public RateLimiter(int permits, Duration window, LongSupplier clock, Sleeper sleeper) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits: expected >= 1 but was " + permits);
        }
        this.permits = permits;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static RateLimiter resourceGraphDefault() {
        return new RateLimiter(15, Duration.ofSeconds(5), System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** Takes one permit, waiting while {@code permits} queries were already issued in the last window. */
    public synchronized void acquire() {
        while (true) {
            long now = clock.getAsLong();
            while (!issued.isEmpty() && now - issued.peekFirst() >= windowNanos) {
                issued.pollFirst();
            }
            if (issued.size() < permits) {
                issued.addLast(now);
                return;
            }
            long wait = windowNanos - (now - issued.peekFirst());
            try {
                sleeper.sleepNanos(Math.max(wait, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a Resource Graph permit", e);
            }
        }
    }
}
