package io.cloudwarden.engine.spi.concurrency;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bounds the reads in flight against one quota scope and adapts the bound to throttling, AIMD-like (as TCP's
 * congestion window): every successful call adds {@code 1/limit} (so one more in flight after a full round of
 * successes), a throttled call halves the limit (at most once per {@link #DECREASE_INTERVAL_NANOS}, so a burst of
 * throttles from one round counts once), never below 1 nor above the quota's max. A rate quota
 * ({@link Quota#requests()} per {@link Quota#window()}) is enforced on top as a sliding window of start times.
 *
 * <p>The SDKs' own retry (with backoff) retries the throttled call; this limiter only makes the next reads wait. It is
 * cloud-neutral: providers report outcomes with {@link #onSuccess()} and {@link #onThrottle()} from their SDK's
 * metrics or pipeline hooks.
 */
public final class AdaptiveLimiter {
    static final long DECREASE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Quota quota;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private double limit;
    private int inFlight;
    private long lastDecrease = Long.MIN_VALUE;
    private long throttles;

    public AdaptiveLimiter(Quota quota) {
        this(quota, System::nanoTime);
    }

    AdaptiveLimiter(Quota quota, LongSupplier nanoClock) {
        this.quota = quota;
        this.nanoClock = nanoClock;
        this.limit = quota.initial();
    }

    public Quota quota() {
        return quota;
    }

    /** The current bound on reads in flight. */
    public int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Throttles reported so far. */
    public long throttles() {
        lock.lock();
        try {
            return throttles;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until one more read may start (concurrency and rate), then counts it in flight. */
    public void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (inFlight < (int) limit) {
                    long wait = rateWait();
                    if (wait <= 0) {
                        break;
                    }
                    changed.awaitNanos(wait);
                } else {
                    changed.await();
                }
            }
            inFlight++;
            if (quota.requests() > 0) {
                starts.addLast(nanoClock.getAsLong());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds until the rate window admits one more start; 0 when it does now. */
    private long rateWait() {
        if (quota.requests() == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long window = quota.window().toNanos();
        while (!starts.isEmpty() && now - starts.peekFirst() >= window) {
            starts.removeFirst();
        }
        if (starts.size() < quota.requests()) {
            return 0;
        }
        return Math.max(1, starts.peekFirst() + window - now);
    }

    /** Ends a read started with {@link #acquire()}. */
    public void release() {
        lock.lock();
        try {
            if (inFlight <= 0) {
                throw new IllegalStateException(quota.name() + ": release without acquire");
            }
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A call against this scope succeeded without being throttled: grow the limit by {@code 1/limit}. */
    public void onSuccess() {
        lock.lock();
        try {
            double before = limit;
            limit = Math.min(quota.max(), limit + 1.0 / limit);
            if ((int) limit > (int) before) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A call against this scope was throttled: halve the limit (once per decrease interval). */
    public void onThrottle() {
        lock.lock();
        try {
            throttles++;
            long now = nanoClock.getAsLong();
            if (lastDecrease == Long.MIN_VALUE || now - lastDecrease >= DECREASE_INTERVAL_NANOS) {
                limit = Math.max(1, Math.floor(limit / 2));
                lastDecrease = now;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "AdaptiveLimiter[" + quota.name() + ", limit " + limit() + ", in flight " + inFlight() + "]";
    }
}
