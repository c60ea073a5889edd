package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.provider.azure.session.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void sixteenthQueryInFiveSecondsWaitsUntilTheOldestLeavesTheWindow() {
        AtomicLong now = new AtomicLong(0);
        List<Long> sleeps = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(15, Duration.ofSeconds(5), now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
        for (int i = 0; i < 15; i++) {
            limiter.acquire();
            now.addAndGet(Duration.ofMillis(100).toNanos());
        }
        assertThat(sleeps).isEmpty();

        limiter.acquire();

        // 15 permits issued at t=0..1.4s; at t=1.5s the first frees at t=5s
        assertThat(sleeps).containsExactly(Duration.ofMillis(3500).toNanos());
    }

    @Test
    void permitsFreeUpOnceTheWindowHasPassed() {
        AtomicLong now = new AtomicLong(0);
        List<Long> sleeps = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(5), now::get, sleeps::add);
        limiter.acquire();
        limiter.acquire();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        limiter.acquire();
        limiter.acquire();
        assertThat(sleeps).isEmpty();
    }
}
