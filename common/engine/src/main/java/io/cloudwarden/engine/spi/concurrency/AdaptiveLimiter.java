package io.cloudwarden.engine.spi.concurrency;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bounds the reads in flight against one quota scope and picks the bound by the reads' <em>throughput</em>, adapting
 * it to throttling on top:
 * <ul>
 *   <li><b>Throughput probes.</b> The limiter counts finished reads per second of busy time (time with at least one
 *       read in flight) over epochs of {@link #epochReads(int) a few rounds} of reads. Now and then it tries a
 *       neighbour of the current limit for one epoch: half of it is kept when it reads at least 80 % of the current
 *       throughput (the reads wait on the CPU, not the network, so fewer in flight read as fast for less switching
 *       and lock contention: a scan against a server on loopback), double of it is kept when it reads at least 1.3
 *       times as fast (the reads wait on network latency: a scan against the cloud's API; {@link #KEEP_LOWER},
 *       {@link #KEEP_HIGHER} for steps capped by the bounds). A rejected probe goes back to the current limit and the next probe comes after
 *       twice as many epochs (at most {@link #MAX_HOLD_EPOCHS}), so a settled limit costs one epoch in
 *       {@value #MAX_HOLD_EPOCHS} at a worse neighbour. The first epoch is not measured (class loading and JIT
 *       compilation make the first reads of a JVM slow whatever the limit), nor the reads finishing right after a
 *       change (they ran under the old limit).</li>
 *   <li><b>Throttling.</b> A throttled call halves the limit (at most once per {@link #DECREASE_INTERVAL_NANOS}, so a
 *       burst of throttles from one round counts once), never below 1; the limit grows again only by an upward probe
 *       whose throughput proves it, and each throttle is counted ({@link #throttles()}).</li>
 *   <li><b>Bounds.</b> The limit stays between 1 and the quota's max; it starts at the quota's initial. A rate quota
 *       ({@link Quota#requests()} per {@link Quota#window()}) is enforced on top as a sliding window of start
 *       times.</li>
 * </ul>
 * Why throughput and not latency (as Vegas or gradient limits do): one scope's reads go to several endpoints (an
 * account's S3 buckets live in many regions, 10 ms or 200 ms away), so a rising round-trip time is as often geography
 * as queueing; the throughput of an epoch averages over them and answers the question that matters directly.
 *
 * <p>The SDKs' own retry (with backoff) retries the throttled call; this limiter only makes the next reads wait. It is
 * cloud-neutral: providers report throttled calls with {@link #onThrottle()} from their SDK's metrics or pipeline
 * hooks; every read that {@link #acquire()}s a permit {@link #release()}s it when done.
 */
public final class AdaptiveLimiter {
    static final long DECREASE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * A lower limit is kept when its epoch lost at most this share of the throughput that reads waiting on the network
     * would lose (their throughput is proportional to the limit): a halved limit is kept at 80 % of the current
     * throughput or more.
     */
    static final double KEEP_LOWER = 0.4;
    /**
     * A higher limit is kept when its epoch gained at least this share of what reads waiting on the network would gain:
     * a doubled limit is kept at 1.3 times the current throughput or more (16 to 20 at 1.075 times).
     */
    static final double KEEP_HIGHER = 0.3;
    /** Epochs at a limit before the first probe of its neighbours (doubled after each rejected probe). */
    static final int HOLD_EPOCHS = 4;
    static final int MAX_HOLD_EPOCHS = 32;

    private enum Phase { HOLD, PROBE_DOWN, PROBE_UP }

    private final Quota quota;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private int limit;
    private int inFlight;
    private long lastDecrease = Long.MIN_VALUE;
    private long throttles;

    // Throughput measurement: reads finished in this epoch, busy time accumulated, and reads to skip first.
    private int skip;
    private int done;
    private long busyNanos;
    private long busySince = -1;
    // Probing: the limit and throughput to compare with, epochs held, the next probe's direction.
    private Phase phase = Phase.HOLD;
    private int current;
    private double currentThroughput;
    private int held;
    private int holdEpochs = 1;
    private boolean upFirst;
    private long probes;

    public AdaptiveLimiter(Quota quota) {
        this(quota, System::nanoTime);
    }

    AdaptiveLimiter(Quota quota, LongSupplier nanoClock) {
        this.quota = quota;
        this.nanoClock = nanoClock;
        this.limit = quota.initial();
        this.current = limit;
        this.upFirst = limit < quota.max();
        this.skip = epochReads(limit);
    }

    /** Reads per measured epoch: a few rounds at this limit, so one slow read does not decide. */
    static int epochReads(int limit) {
        return Math.max(16, 3 * limit);
    }

    public Quota quota() {
        return quota;
    }

    /** The current bound on reads in flight. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The limit the probes settled on: the current limit, or while a neighbour is being tried, the limit it is
     * compared with.
     */
    public int settled() {
        lock.lock();
        try {
            return phase == Phase.HOLD ? limit : current;
        } finally {
            lock.unlock();
        }
    }

    /** Throughput probes started so far (a neighbour of the settled limit tried for one epoch). */
    public long probes() {
        lock.lock();
        try {
            return probes;
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
                if (inFlight < limit) {
                    long wait = rateWait();
                    if (wait <= 0) {
                        break;
                    }
                    changed.awaitNanos(wait);
                } else {
                    changed.await();
                }
            }
            if (inFlight++ == 0) {
                busySince = nanoClock.getAsLong();
            }
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
            long now = nanoClock.getAsLong();
            if (--inFlight == 0) {
                busyNanos += now - busySince;
                busySince = -1;
            }
            finished(now);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void finished(long now) {
        if (skip > 0) {
            if (--skip == 0) {
                startEpoch(now);
            }
            return;
        }
        if (++done < epochReads(limit)) {
            return;
        }
        long busy = busyNanos + (busySince >= 0 ? now - busySince : 0);
        double throughput = done / (double) Math.max(1, busy);
        endEpoch(throughput);
        startEpoch(now);
    }

    private void startEpoch(long now) {
        done = 0;
        busyNanos = 0;
        if (busySince >= 0) {
            busySince = now;
        }
    }

    private void endEpoch(double throughput) {
        switch (phase) {
            case HOLD -> {
                current = limit;
                currentThroughput = throughput;
                if (++held >= holdEpochs) {
                    probe();
                }
            }
            case PROBE_DOWN, PROBE_UP -> {
                boolean up = phase == Phase.PROBE_UP;
                double proportional = limit / (double) current;
                boolean keep = up ? throughput >= (1 + KEEP_HIGHER * (proportional - 1)) * currentThroughput
                        : throughput >= (1 - KEEP_LOWER * (1 - proportional)) * currentThroughput;
                if (keep) {
                    // Keep going the same way while it pays; the next probe tries the same direction first.
                    current = limit;
                    currentThroughput = throughput;
                    upFirst = up;
                    holdEpochs = HOLD_EPOCHS;
                    int next = up ? Math.min(quota.max(), limit * 2) : Math.max(1, limit / 2);
                    if (next != limit) {
                        probes++;
                        setLimit(next);
                    } else {
                        hold();
                    }
                } else {
                    setLimit(current);
                    upFirst = !up;
                    holdEpochs = Math.min(MAX_HOLD_EPOCHS, holdEpochs * 2);
                    hold();
                }
            }
        }
    }

    /** Tries a neighbour of the settled limit for one epoch: the preferred direction first, else the other. */
    private void probe() {
        boolean canUp = limit < quota.max();
        boolean canDown = limit > 1;
        if (!canUp && !canDown) {
            held = 0;
            return;
        }
        boolean up = canUp && (upFirst || !canDown);
        phase = up ? Phase.PROBE_UP : Phase.PROBE_DOWN;
        current = limit;
        probes++;
        setLimit(up ? Math.min(quota.max(), limit * 2) : Math.max(1, limit / 2));
    }

    private void hold() {
        phase = Phase.HOLD;
        held = 0;
    }

    /** Sets the limit; the reads finishing next ran under the old one and are not measured. */
    private void setLimit(int next) {
        int before = limit;
        limit = next;
        skip = Math.max(before, next);
        done = 0;
        if (next > before) {
            changed.signalAll();
        }
    }

    /** A call against this scope was throttled: halve the limit (once per decrease interval) and count it. */
    public void onThrottle() {
        lock.lock();
        try {
            throttles++;
            long now = nanoClock.getAsLong();
            if (lastDecrease == Long.MIN_VALUE || now - lastDecrease >= DECREASE_INTERVAL_NANOS) {
                lastDecrease = now;
                int halved = Math.max(1, (phase == Phase.HOLD ? limit : Math.min(limit, current)) / 2);
                setLimit(halved);
                current = halved;
                // Hold the throttled limit a while, then probe upwards: only a throughput gain grows it back.
                upFirst = true;
                holdEpochs = HOLD_EPOCHS;
                hold();
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
