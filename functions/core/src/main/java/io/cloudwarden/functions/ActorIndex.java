package io.cloudwarden.functions;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.engine.state.Versioned;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who last changed each resource, as cloud events named them ({@code actors/latest.json}, keyed by match key). Events
 * are the only source of actors; a scan alone cannot know who changed something. Drift reports are annotated from it.
 */
public final class ActorIndex {
    public static final String KEY = "actors/latest.json";

    /** The last known change of one resource. */
    @JsonPropertyOrder({"actor", "action", "eventId", "time"})
    public record LastChange(Actor actor, String action, String eventId, Instant time) {
    }

    /** The stored document. */
    public record Document(Map<String, LastChange> resources) {
        public Document {
            resources = resources == null ? Map.of() : Map.copyOf(resources);
        }
    }

    private final StateRepository repository;

    public ActorIndex(StateRepository repository) {
        this.repository = repository;
    }

    /** Records the actors of events (newer events win); a compare-and-swap loop so no concurrent record is lost. */
    public void record(List<ResourceEvent> events) {
        List<ResourceEvent> known = events.stream().filter(e -> e.actor().known()).toList();
        if (known.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            var current = repository.getJsonVersioned(KEY, Document.class);
            Map<String, LastChange> m = new TreeMap<>(current.map(v -> v.value().resources()).orElse(Map.of()));
            for (ResourceEvent e : known) {
                LastChange prev = m.get(e.ref().matchKey());
                if (prev == null || !prev.time().isAfter(e.time())) {
                    m.put(e.ref().matchKey(), new LastChange(e.actor(), e.action(), e.eventId(), e.time()));
                }
            }
            try {
                repository.putJson(KEY, new Document(m), current.map(Versioned::version).map(Precondition::ifMatch)
                        .orElse(Precondition.IF_ABSENT));
                return;
            } catch (PreconditionFailedException lost) {
                // another instance wrote meanwhile: re-read and merge again
            }
        }
    }

    public Map<String, Actor> actors() {
        Map<String, Actor> out = new HashMap<>();
        repository.getJson(KEY, Document.class).ifPresent(d -> d.resources().forEach((k, v) -> out.put(k, v.actor())));
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
