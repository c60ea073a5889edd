package io.cloudwarden.engine.spi.concurrency;

import java.time.Duration;

/**
 * The limits of one API quota scope (e.g. EC2 reads of one account-region, IAM of one account, ARM reads of one
 * subscription): how many reads may be in flight at first ({@code initial}) and at most ({@code max}), and
 * optionally a request rate ({@code requests} per {@code window}, e.g. Resource Graph's 15 queries per 5 s) that is
 * never exceeded whatever the concurrency. The concurrency adapts between 1 and {@code max}
 * ({@link AdaptiveLimiter}); the rate is a hard ceiling.
 */
public record Quota(String name, int initial, int max, int requests, Duration window) {
    public Quota {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: expected a quota scope name");
        }
        if (max < 1 || initial < 1 || initial > max) {
            throw new IllegalArgumentException(name + ": expected 1 <= initial <= max but were initial " + initial
                    + ", max " + max);
        }
        if (requests < 0 || (requests > 0 && (window == null || window.isNegative() || window.isZero()))) {
            throw new IllegalArgumentException(name + ": expected requests >= 0 and, with requests, a positive window");
        }
        window = window == null ? Duration.ZERO : window;
    }

    /** A concurrency-only quota. */
    public static Quota concurrency(String name, int initial, int max) {
        return new Quota(name, initial, max, 0, Duration.ZERO);
    }

    /** A quota that also caps the request rate at {@code requests} per {@code window}. */
    public static Quota rate(String name, int initial, int max, int requests, Duration window) {
        return new Quota(name, initial, max, requests, window);
    }

    /** This quota with another maximum concurrency (and an initial concurrency no higher than it). */
    public Quota withMax(int newMax) {
        return new Quota(name, Math.min(initial, Math.max(1, newMax)), Math.max(1, newMax), requests, window);
    }
}
