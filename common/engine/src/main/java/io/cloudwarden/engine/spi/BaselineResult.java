package io.cloudwarden.engine.spi;

import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import java.util.List;

/** A baseline mapper's output: the normalized resources the state declares, and what it could not map. */
public record BaselineResult(List<Resource> resources, List<NotCompared> notCompared) {
    public BaselineResult {
        resources = List.copyOf(resources);
        notCompared = List.copyOf(notCompared);
    }
}
