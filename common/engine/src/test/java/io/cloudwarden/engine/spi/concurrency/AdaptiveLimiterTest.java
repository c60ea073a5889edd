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

    @Test
    void aThrottleHalvesTheLimitAndSuccessesGrowItBackOneStepPerRound() {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("ec2", 8, 20), now::get);
        l.onThrottle();
        assertEquals(4, l.limit());
        for (int i = 0; i < 4; i++) {
            l.onSuccess();
        }
        assertEquals(4, l.limit(), "each success adds 1/limit: 4 successes add a little less than one");
        l.onSuccess();
        assertEquals(5, l.limit(), "one more in flight after about a round of successes");
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
    void successesNeverGrowTheLimitBeyondTheQuotasMax() {
        AdaptiveLimiter l = new AdaptiveLimiter(Quota.concurrency("kms", 2, 3), now::get);
        for (int i = 0; i < 100; i++) {
            l.onSuccess();
        }
        assertEquals(3, l.limit());
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
