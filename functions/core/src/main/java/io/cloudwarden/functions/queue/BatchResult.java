package io.cloudwarden.functions.queue;

import java.util.List;

/** Outcome of a batch: the ids of the items that failed (to be redelivered) with the reason of each. */
public record BatchResult(List<Failure> failures, int succeeded) {
    public record Failure(String itemId, String reason) {
    }

    public BatchResult {
        failures = List.copyOf(failures);
    }

    public List<String> failedIds() {
        return failures.stream().map(Failure::itemId).toList();
    }
}
