package io.cloudwarden.engine.spi.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelReadsTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 200).boxed().toList();

    private static void sleepRandomly() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void resultsReachTheSinkInItemOrderOnTheCallingThread() {
        List<String> out = new ArrayList<>();
        Thread caller = Thread.currentThread();
        ParallelReads.forEachOrdered(ITEMS, new AdaptiveLimiter(Quota.concurrency("t", 8, 8)), i -> {
            sleepRandomly();
            return "r" + i;
        }, r -> {
            assertSame(caller, Thread.currentThread());
            out.add(r);
        });
        assertEquals(ITEMS.stream().map(i -> "r" + i).toList(), out);
    }

    @Test
    void readsRunConcurrentlyButNeverMoreThanTheLimit() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AdaptiveLimiter limiter = new AdaptiveLimiter(Quota.concurrency("t", 4, 4));
        ParallelReads.forEachOrdered(ITEMS, limiter, i -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleepRandomly();
            running.decrementAndGet();
            return i;
        }, r -> { });
        assertTrue(peak.get() > 1, "reads overlapped: peak " + peak.get());
        assertTrue(peak.get() <= 4, "at most the limit in flight: peak " + peak.get());
        assertEquals(0, limiter.inFlight());
    }

    @Test
    void theFirstFailingItemsErrorIsThrownAfterEveryEarlierItemReachedTheSink() {
        List<Integer> out = new ArrayList<>();
        IllegalStateException first = new IllegalStateException("item 50");
        AdaptiveLimiter limiter = new AdaptiveLimiter(Quota.concurrency("t", 8, 8));
        var thrown = assertThrows(IllegalStateException.class, () -> ParallelReads.forEachOrdered(ITEMS, limiter, i -> {
            if (i == 50) {
                sleepRandomly();
                throw first;
            }
            if (i == 53) {
                throw new IllegalStateException("item 53, failed first in time");
            }
            return i;
        }, out::add));
        assertSame(first, thrown, "as the sequential loop would, the earliest item's failure wins");
        assertEquals(IntStream.range(0, 50).boxed().toList(), out);
    }

    @Test
    void aFailingSourceIsThrownAfterTheItemsItGaveWereHandedOver() {
        List<Integer> out = new ArrayList<>();
        Iterable<Integer> failingAfterThree = () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                if (n == 3) {
                    throw new IllegalArgumentException("page 2 failed");
                }
                return true;
            }

            @Override
            public Integer next() {
                return n++;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> ParallelReads.forEachOrdered(failingAfterThree,
                new AdaptiveLimiter(Quota.concurrency("t", 8, 8)), i -> i, out::add));
        assertEquals("page 2 failed", e.getMessage());
        assertEquals(List.of(0, 1, 2), out);
    }

    @Test
    void withOneInFlightTheReadsRunOneAfterAnother() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ParallelReads.forEachOrdered(ITEMS.subList(0, 30), new AdaptiveLimiter(Quota.concurrency("t", 1, 1)), i -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleepRandomly();
            running.decrementAndGet();
            return i;
        }, r -> { });
        assertEquals(1, peak.get());
    }
}
