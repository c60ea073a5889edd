package io.cloudwarden.engine.spi;

import java.util.List;

/** One account (subscription, project) reachable by a session, and the regions to scan in it. */
public record ScanTarget(String account, List<String> regions) {
    public ScanTarget {
        regions = List.copyOf(regions);
    }
}
