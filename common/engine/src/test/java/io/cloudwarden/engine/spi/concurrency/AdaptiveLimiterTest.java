package io.cloudwarden.engine.spi.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /**
     * Runs {@code reads} reads in rounds of {@code limit()} reads each, all finishing together after {@code rtt(n)}
     * nanoseconds for n in flight (the fake clock), and returns the limit in force in each round.
     */
    private int[] run(AdaptiveLimiter l, int reads, java.util.function.IntToLongFunction rtt) throws Exception {
        var limits = new java.util.ArrayList<Integer>();
        for (int started = 0; started < reads;) {
            int n = Math.min(l.limit(), reads - started);
            for (int i = 0; i < n; i++) {
                l.acquire();
            }
            limits.add(l.limit());
            now.addAndGet(rtt.applyAsLong(n));
            for (int i = 0; i < n; i++) {
                l.release();
            }
            started += n;
        }
        return limits.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void readsThatWaitOnTheNetworkKeepTheMostInFlight() throws Exception {
        // Each read takes 30 ms however many run: twice as many in flight read twice as fast.
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("s3", 32, 32), now::get);
        int[] limits = run(l, 4000, n -> 30 * MS);
        assertEquals(32, l.settled());
        assertTrue(l.probes() > 0, "the lower neighbour was tried");
        long atMax = java.util.Arrays.stream(limits).filter(x -> x == 32).count();
        assertTrue(atMax >= limits.length * 0.8, "rounds at 32: " + atMax + " of " + limits.length);
    }

    @Test
    void readsThatWaitOnTheCpuSettleOnFewInFlight() throws Exception {
        // Two cores' worth of work per read: n in flight take n/2 ms, so more in flight do not read any faster.
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("s3", 32, 32), now::get);
        run(l, 4000, n -> Math.max(MS, n * MS / 2));
        assertTrue(l.settled() <= 2, "settled on " + l.settled());
    }

    @Test
    void aLimitBelowTheMaxGrowsWhileMoreInFlightReadFaster() throws Exception {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("ec2", 8, 20), now::get);
        run(l, 2000, n -> 30 * MS);
        assertEquals(20, l.settled(), "8, 16, then the quota's max");
    }

    @Test
    void aThrottleHalvesTheLimitAndOnlyAFasterProbeGrowsItBack() throws Exception {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("ec2", 8, 20), now::get);
        l.onThrottle();
        assertEquals(4, l.limit());
        assertEquals(1, l.throttles());
        // Reads that gain nothing from more in flight (the server's quota) keep it there.
        run(l, 400, n -> Math.max(MS, n * 10 * MS));
        assertTrue(l.settled() <= 4, "settled on " + l.settled());
        // Once more in flight read faster again, probes grow it back up to the max.
        run(l, 4000, n -> 30 * MS);
        assertEquals(20, l.settled());
    }

    @Test
    void throttlesOfOneBurstCountOnceAndTheLimitNeverFallsBelowOne() {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("iam", 8, 8), now::get);
        l.onThrottle();
        l.onThrottle();
        l.onThrottle();
        assertEquals(4, l.limit(), "throttles within the decrease interval halve once");
        for (int i = 0; i < 10; i++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            l.onThrottle();
        }
        assertEquals(1, l.limit());
        assertEquals(13, l.throttles());
    }

    @Test
    void probesNeverGoBeyondTheQuotasMax() throws Exception {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("kms", 2, 3), now::get);
        int[] limits = run(l, 1000, n -> 30 * MS);
        assertTrue(java.util.Arrays.stream(limits).allMatch(x -> x >= 1 && x <= 3), java.util.Arrays.toString(limits));
        assertEquals(3, l.settled());
    }

    @Test
    void theFirstReadsOfAJvmAreNotMeasured() throws Exception {
        // The first epoch is slow (class loading, compilation) at any limit: it must not make the next look better.
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("s3", 32, 32), now::get);
        run(l, AdaptiveLimiter.epochReads(32), n -> 500 * MS);
        run(l, 2000, n -> 30 * MS);
        assertEquals(32, l.settled());
    }

    @Test
    void acquireWaitsWhileTheLimitIsReached() throws Exception {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("s3", 1, 1));
        l.acquire();
        Thread t = new Thread(() -> {
            try {
                l.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join(200);
        assertTrue(t.isAlive(), "a second read waits for the first");
        l.release();
        t.join(5000);
        assertEquals(1, l.inFlight());
    }

    @Test
    void aRateQuotaSpacesStartsOverItsWindow() throws Exception {
        // Resource Graph's 15 queries per 5 s, scaled down: 3 starts per 300 ms.
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.rate("graph", 10, 10, 3, Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            l.acquire();
            l.release();
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(elapsed >= 290, "the 4th start waits for the window, took " + elapsed + " ms");
    }

    @Test
    void releaseWithoutAcquireIsAnError() {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("s3", 1, 1));
        assertThrows(IllegalStateException.class, l::release);
    }

    @Test
    void aQuotaNamesWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> Quota.concurrency("arm", 5, 2));
        assertTrue(e.getMessage().contains("arm"), e.getMessage());
    }

    @Test
    void maxConcurrencyCapsEveryScope() {
        ReadLimits limits = new ReadLimits(1);
        assertEquals(1, limits.scope("s3|1", Quota.concurrency("s3", 32, 32)).limit());
        assertEquals(32, new ReadLimits(0).scope("s3|1", Quota.concurrency("s3", 32, 32)).limit());
    }
}
