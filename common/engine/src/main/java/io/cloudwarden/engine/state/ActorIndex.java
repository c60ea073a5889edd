package io.cloudwarden.engine.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ResourceDrift;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who last changed each resource, as cloud events named them, keyed by match key. Events are the only source of
 * actors; a scan alone cannot know who changed something. Drift reports are annotated from it.
 *
 * <p><b>Where it is stored.</b> An event carries the change it names in the resource's update
 * ({@code snapshots/updates/…}, field {@code lastChange}: {@link StateRepository.ResourceUpdate}), written once with
 * the update, so the event path writes no actors document. A compaction or a full scan folds the changes of the
 * updates it deletes into {@code actors/latest.json} (compare-and-swap) before deleting them; readers lay the pending
 * updates' changes over that document. The newer change (by the event's time; the later one on a tie) wins, so a
 * fold that is repeated (a writer killed before deleting what it folded) changes nothing. Documents written before
 * the changes moved into the updates (rewritten per event) are read as they are.
 */
public final class ActorIndex {
    public static final String KEY = "actors/latest.json";
    private static final int MAX_ATTEMPTS = 50;

    /** The last known change of one resource. */
    @JsonPropertyOrder({"actor", "action", "eventId", "time"})
    public record LastChange(Actor actor, String action, String eventId, Instant time) {
        public LastChange {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(time, "time");
        }

        /** True when this change should replace {@code previous}: none, or one no newer than this. */
        boolean supersedes(LastChange previous) {
            return previous == null || !previous.time().isAfter(time);
        }
    }

    /** The stored document. */
    public record Document(Map<String, LastChange> resources) {
        public Document {
            resources = resources == null ? Map.of() : Map.copyOf(resources);
        }
    }

    private final StateRepository repository;

    public ActorIndex(StateRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * Folds the changes carried by {@code updates} into {@code actors/latest.json} (a compare-and-swap loop, so no
     * concurrent fold is lost); writes nothing when none carries a change or the document already has them all.
     */
    void fold(List<StateRepository.ResourceUpdate> updates) {
        List<StateRepository.ResourceUpdate> changes = updates.stream().filter(u -> u.lastChange() != null).toList();
        if (changes.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            var current = repository.getJsonVersioned(KEY, Document.class);
            Map<String, LastChange> m = new TreeMap<>(current.map(v -> v.value().resources()).orElse(Map.of()));
            boolean changed = false;
            for (StateRepository.ResourceUpdate u : changes) {
                String key = u.ref().matchKey();
                LastChange prev = m.get(key);
                if (u.lastChange().supersedes(prev) && !u.lastChange().equals(prev)) {
                    m.put(key, u.lastChange());
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
            try {
                repository.putJson(KEY, new Document(m), current.map(Versioned::version).map(Precondition::ifMatch)
                        .orElse(Precondition.IF_ABSENT));
                return;
            } catch (PreconditionFailedException lost) {
                // another compaction wrote meanwhile: re-read and merge again
            }
        }
        throw new StateStoreException(repository.store().describe() + "/" + KEY + ": could not fold the events'"
                + " actors after " + MAX_ATTEMPTS + " attempts (it kept changing)");
    }

    /** The last change of each resource: the stored document with the pending updates' changes laid over it. */
    public Map<String, LastChange> changes() {
        Map<String, LastChange> m = new HashMap<>(repository.getJson(KEY, Document.class).map(Document::resources)
                .orElse(Map.of()));
        for (StateRepository.ResourceUpdate u : repository.pendingUpdateRecords()) {
            LastChange c = u.lastChange();
            if (c != null && c.supersedes(m.get(u.ref().matchKey()))) {
                m.put(u.ref().matchKey(), c);
            }
        }
        return m;
    }

    public Map<String, Actor> actors() {
        Map<String, Actor> out = new HashMap<>();
        changes().forEach((k, v) -> out.put(k, v.actor()));
        return out;
    }

    /** The report with each drift entry's actor filled in where an event named one. */
    public DriftReport annotate(DriftReport report) {
        Map<String, Actor> actors = actors();
        if (actors.isEmpty()) {
            return report;
        }
        List<ResourceDrift> drift = report.drift().stream().map(d -> d.actor().known() ? d
                : new ResourceDrift(d.kind(), d.resource(), d.patch(),
                        actors.getOrDefault(d.resource().matchKey(), d.actor()))).toList();
        return new DriftReport(report.schema(), report.mode(), report.comparedAt(), report.managed(),
                report.unchanged(), drift, report.notCompared(), report.ignored(), report.unread());
    }
}
