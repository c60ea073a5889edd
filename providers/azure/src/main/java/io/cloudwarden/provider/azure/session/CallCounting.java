package io.cloudwarden.provider.azure.session;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.cloudwarden.engine.spi.concurrency.AdaptiveLimiter;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Counts one pipeline's calls into the session's {@link CallStatistics}: {@link #perCall()} goes before the
 * pipeline's RetryPolicy (one count per logical call), {@link #perAttempt()} after it (sees every attempt, and counts
 * HTTP 429 answers as throttles). A call to {@code /subscriptions/{id}/...} also tells that subscription's ARM read
 * limiter whether it was throttled (AIMD: fewer reads in flight after a throttle, more after successes).
 */
final class CallCounting {
    private static final String KEY = "cloudwarden.attempts";
    private static final Pattern SUBSCRIPTION = Pattern.compile("/subscriptions/([^/?]+)", Pattern.CASE_INSENSITIVE);

    private final String service;
    private final CallStatistics statistics;
    private final Function<String, Optional<AdaptiveLimiter>> subscriptionLimiter;

    CallCounting(String service, CallStatistics statistics, Function<String, Optional<AdaptiveLimiter>> subscriptionLimiter) {
        this.service = service;
        this.statistics = statistics;
        this.subscriptionLimiter = subscriptionLimiter;
    }

    HttpPipelinePolicy perCall() {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                int[] attempts = new int[2];
                context.setData(KEY, attempts);
                return next.process().doFinally(s -> record(context, attempts));
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                int[] attempts = new int[2];
                context.setData(KEY, attempts);
                try {
                    return next.processSync();
                } finally {
                    record(context, attempts);
                }
            }
        };
    }

    HttpPipelinePolicy perAttempt() {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                int[] attempts = attempts(context);
                attempts[0]++;
                return next.process().doOnNext(r -> {
                    if (r.getStatusCode() == 429) {
                        attempts[1]++;
                    }
                });
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                int[] attempts = attempts(context);
                attempts[0]++;
                HttpResponse r = next.processSync();
                if (r.getStatusCode() == 429) {
                    attempts[1]++;
                }
                return r;
            }
        };
    }

    private static int[] attempts(HttpPipelineCallContext context) {
        return (int[]) context.getData(KEY).orElseGet(() -> new int[2]);
    }

    private void record(HttpPipelineCallContext context, int[] attempts) {
        int throttles = attempts[1];
        String path = context.getHttpRequest().getUrl().getPath();
        boolean graphQuery = path != null && path.toLowerCase(java.util.Locale.ROOT)
                .contains("/providers/microsoft.resourcegraph/");
        statistics.record(graphQuery ? "resourcegraph" : service, Math.max(0, attempts[0] - 1), throttles);
        Matcher m = SUBSCRIPTION.matcher(path == null ? "" : path);
        if (m.find()) {
            subscriptionLimiter.apply(m.group(1)).ifPresent(l -> {
                if (throttles > 0) {
                    l.onThrottle();
                } else {
                    l.onSuccess();
                }
            });
        }
    }
}
