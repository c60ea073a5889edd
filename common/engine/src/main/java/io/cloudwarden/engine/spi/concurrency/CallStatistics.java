package io.cloudwarden.engine.spi.concurrency;

import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters of one session's API calls per service: calls, retries, throttles. Providers feed it from
 * their SDK's metrics or pipeline hooks; the scan pipeline puts the difference over a scan into the snapshot's
 * statistics ({@link #since}).
 */
public final class CallStatistics {
    private final Cloud cloud;
    private final Map<String, Counters> services = new ConcurrentHashMap<>();

    public CallStatistics(Cloud cloud) {
        this.cloud = cloud;
    }

    /** One logical call to {@code service} that took {@code retries} extra attempts, {@code throttles} of them throttled. */
    public void record(String service, int retries, int throttles) {
        Counters c = services.computeIfAbsent(service, k -> new Counters());
        c.calls.increment();
        if (retries > 0) {
            c.retries.add(retries);
        }
        if (throttles > 0) {
            c.throttles.add(throttles);
        }
    }

    /** The totals so far, sorted by service. */
    public List<ApiCalls> totals() {
        List<ApiCalls> out = new ArrayList<>();
        services.forEach((s, c) -> out.add(new ApiCalls(cloud, s, c.calls.sum(), c.retries.sum(), c.throttles.sum())));
        out.sort(java.util.Comparator.comparing(ApiCalls::service));
        return out;
    }

    /** What was counted since {@code before} (an earlier {@link #totals()}); services without calls are left out. */
    public static List<ApiCalls> since(List<ApiCalls> before, List<ApiCalls> now) {
        Map<String, ApiCalls> b = new HashMap<>();
        before.forEach(a -> b.put(a.cloud().id() + "|" + a.service(), a));
        List<ApiCalls> out = new ArrayList<>();
        for (ApiCalls a : now) {
            ApiCalls p = b.get(a.cloud().id() + "|" + a.service());
            ApiCalls d = p == null ? a : new ApiCalls(a.cloud(), a.service(), a.calls() - p.calls(),
                    a.retries() - p.retries(), a.throttles() - p.throttles());
            if (d.calls() > 0 || d.retries() > 0 || d.throttles() > 0) {
                out.add(d);
            }
        }
        return out;
    }

    private static final class Counters {
        final LongAdder calls = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder throttles = new LongAdder();
    }
}
