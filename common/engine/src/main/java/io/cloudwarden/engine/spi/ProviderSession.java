package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;
import java.util.List;

/**
 * Live SDK clients for one cloud under one {@link ProviderConfig}. Created by {@link CloudProvider#open}; closed by
 * the caller. Collectors and remediators cast it to their provider's own session type.
 */
public interface ProviderSession extends AutoCloseable {
    Cloud cloud();

    ProviderConfig config();

    /** The accounts and regions to scan (from configuration, else discovered: STS, subscriptions, projects). */
    List<ScanTarget> targets();

    /**
     * The API calls made through this session so far, per service (calls, retries, throttles), cumulative since it
     * was opened; empty when the provider does not count them. The scan pipeline records the difference over a scan
     * in the snapshot's statistics.
     */
    default List<io.cloudwarden.model.ApiCalls> callStatistics() {
        return List.of();
    }

    @Override
    void close();
}
