package io.cloudwarden.model;

import java.util.Comparator;
import java.util.List;

/**
 * How a scan went, for operators (not part of any comparison: drift, diff and findings ignore it): the API calls
 * per cloud and service, sorted by cloud then service.
 */
public record ScanStatistics(List<ApiCalls> calls) {
    public ScanStatistics {
        calls = calls == null ? List.of() : calls.stream().sorted(Comparator.comparing((ApiCalls c) -> c.cloud().id())
                .thenComparing(ApiCalls::service)).toList();
    }

    public long totalCalls() {
        return calls.stream().mapToLong(ApiCalls::calls).sum();
    }
}
