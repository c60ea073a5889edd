package io.cloudwarden.engine.remediation.rollout;

import io.cloudwarden.model.RemediationPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The stored progress of one rollout ({@code rollouts/<id>.json}): its waves, each resource's state, and why it
 * stopped. A retried rollout reads it back and skips every resource already {@code verified}.
 *
 * @param status {@code planned} (dry run), {@code running}, {@code waiting-for-window}, {@code halted},
 *        {@code completed}
 */
public record RolloutRecord(String id, String action, String status, List<Wave> waves, Halt halt,
        Instant nextStart, Instant updatedAt) {

    public RolloutRecord {
        waves = List.copyOf(waves);
    }

    /** One wave; {@code index} counts from 1. */
    public record Wave(int index, List<Item> items) {
        public Wave {
            items = List.copyOf(items);
        }

        public boolean verified() {
            return items.stream().allMatch(i -> i.status().equals(Item.VERIFIED));
        }
    }

    /**
     * One resource of a wave.
     *
     * @param tags the resource's tags (its maintenance window)
     * @param status {@code pending}, {@code verified}, {@code failed} (apply or verification failed)
     * @param attempts how many times it was applied
     */
    public record Item(RemediationPlan plan, java.util.Map<String, String> tags, String status, int attempts,
            String message) {
        public Item {
            tags = tags == null ? java.util.Map.of() : java.util.Map.copyOf(tags);
        }

        public static final String PENDING = "pending";
        public static final String VERIFIED = "verified";
        public static final String FAILED = "failed";
    }

    /** Where and why a rollout stopped. */
    public record Halt(int wave, String resource, String reason) {
    }

    public int total() {
        return waves.stream().mapToInt(w -> w.items().size()).sum();
    }

    public int verifiedCount() {
        return (int) waves.stream().flatMap(w -> w.items().stream()).filter(i -> i.status().equals(Item.VERIFIED))
                .count();
    }

    RolloutRecord with(String newStatus, Halt newHalt, Instant next, Instant at) {
        return new RolloutRecord(id, action, newStatus, waves, newHalt, next, at);
    }

    RolloutRecord withItem(int wave, int item, UnaryOperator<Item> change, Instant at) {
        List<Wave> ws = new ArrayList<>(waves);
        List<Item> items = new ArrayList<>(ws.get(wave).items());
        items.set(item, change.apply(items.get(item)));
        ws.set(wave, new Wave(ws.get(wave).index(), items));
        return new RolloutRecord(id, action, status, ws, halt, nextStart, at);
    }

    /** One line per wave: {@code wave 2/3: 3/5 verified — halted at <resource>: <reason>}. */
    public List<String> progressLines() {
        List<String> out = new ArrayList<>();
        for (Wave w : waves) {
            long ok = w.items().stream().filter(i -> i.status().equals(Item.VERIFIED)).count();
            String line = "wave " + w.index() + "/" + waves.size() + ": " + ok + "/" + w.items().size() + " verified";
            if (halt != null && halt.wave() == w.index()) {
                line += " — halted at " + halt.resource() + ": " + halt.reason();
            } else if (ok == 0 && (status.equals("halted") || status.equals("waiting-for-window"))
                    && (halt == null || halt.wave() < w.index())) {
                line += " — not started";
            }
            out.add(line);
        }
        return out;
    }
}
