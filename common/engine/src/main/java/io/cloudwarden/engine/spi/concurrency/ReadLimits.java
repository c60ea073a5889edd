package io.cloudwarden.engine.spi.concurrency;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link AdaptiveLimiter}s of one provider session, one per quota scope key (e.g. {@code ec2|111122223333|eu-west-1},
 * {@code iam|111122223333}, {@code arm|<subscription>}). A scope is created on first use with its quota; every later
 * use of the same key shares it, so two shards reading the same scope (EC2 instances and security groups of one
 * region) share one budget. {@code maxConcurrency} (a provider setting) caps every scope: 1 reads one resource after
 * another as before concurrent collection.
 */
public final class ReadLimits {
    private final Map<String, AdaptiveLimiter> limiters = new ConcurrentHashMap<>();
    private final int maxConcurrency;

    /** @param maxConcurrency a cap on every quota's max; 0 for none. */
    public ReadLimits(int maxConcurrency) {
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("maxConcurrency: expected >= 0 but was " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
    }

    public AdaptiveLimiter scope(String key, Quota quota) {
        return limiters.computeIfAbsent(key, k -> new AdaptiveLimiter(maxConcurrency > 0 && quota.max() > maxConcurrency
                ? quota.withMax(maxConcurrency) : quota));
    }

    /** The scope's limiter when it has been used. */
    public java.util.Optional<AdaptiveLimiter> existing(String key) {
        return java.util.Optional.ofNullable(limiters.get(key));
    }
}
