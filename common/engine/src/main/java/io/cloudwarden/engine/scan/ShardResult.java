package io.cloudwarden.engine.scan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one queue function instance collected for one shard of a run: its resources, or — when the shard could not
 * be read — none and the {@link ScanError}. Written once per (run, shard) with a conditional write, so a shard
 * delivered twice yields one result ({@link ScanRuns#putResult}).
 */
@JsonPropertyOrder({"run", "shard", "collectedAt", "resources", "errors"})
public record ShardResult(String run, Shard shard, Instant collectedAt, List<Resource> resources,
        List<ScanError> errors) {
    public ShardResult {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(collectedAt, "collectedAt");
        resources = resources == null ? List.of() : List.copyOf(resources);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** True when the shard could not be read (its resources are then empty). */
    public boolean failed() {
        return resources.isEmpty() && !errors.isEmpty();
    }
}
