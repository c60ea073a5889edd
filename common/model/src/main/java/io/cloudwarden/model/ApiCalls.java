package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * API calls one scan made to one service of one cloud: {@code calls} is the number of logical calls (one per SDK
 * operation, retries excluded), {@code retries} the extra attempts the SDK's retry made, {@code throttles} the
 * attempts the cloud refused as throttled (HTTP 429, {@code SlowDown}, {@code Throttling}, ...), each of which was
 * retried with backoff or, once the attempts ran out, failed the call.
 */
@JsonPropertyOrder({"cloud", "service", "calls", "retries", "throttles"})
public record ApiCalls(Cloud cloud, String service, long calls, long retries, long throttles) {
    public ApiCalls {
        Objects.requireNonNull(cloud, "cloud");
        service = service == null ? "" : service;
        if (calls < 0 || retries < 0 || throttles < 0) {
            throw new IllegalArgumentException("calls, retries, throttles: expected >= 0 but were " + calls + ", "
                    + retries + ", " + throttles);
        }
    }
}
