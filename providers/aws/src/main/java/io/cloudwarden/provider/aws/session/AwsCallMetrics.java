package io.cloudwarden.provider.aws.session;

import io.cloudwarden.engine.spi.concurrency.AdaptiveLimiter;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import java.util.Locale;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Feeds one client's SDK call metrics (the SDK's documented {@link MetricPublisher} hook, published once per API call
 * after its last attempt) into the session's {@link CallStatistics} and into the {@link AdaptiveLimiter} of the
 * client's quota scope: a call with a throttled attempt ({@code ERROR_TYPE} {@code Throttling}: HTTP 429, S3
 * {@code SlowDown}, EC2 {@code RequestLimitExceeded}, IAM/KMS {@code Throttling}...) shrinks the scope's concurrency,
 * a call without grows it. The SDK's own retry (adaptive mode, backoff) has already retried those attempts.
 */
final class AwsCallMetrics implements MetricPublisher {
    private static final String THROTTLING = "Throttling";

    private final String service;
    private final CallStatistics statistics;
    private final AdaptiveLimiter limiter;

    AwsCallMetrics(String service, CallStatistics statistics, AdaptiveLimiter limiter) {
        this.service = service.toLowerCase(Locale.ROOT);
        this.statistics = statistics;
        this.limiter = limiter;
    }

    @Override
    public void publish(MetricCollection call) {
        int retries = call.metricValues(CoreMetric.RETRY_COUNT).stream().mapToInt(Integer::intValue).max().orElse(0);
        int throttles = 0;
        for (MetricCollection attempt : call.children()) {
            throttles += (int) attempt.metricValues(CoreMetric.ERROR_TYPE).stream().filter(THROTTLING::equals).count();
        }
        statistics.record(service, retries, throttles);
        if (throttles > 0) {
            limiter.onThrottle();
        } else {
            limiter.onSuccess();
        }
    }

    @Override
    public void close() {
    }
}
