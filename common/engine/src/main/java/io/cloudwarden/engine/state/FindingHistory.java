package io.cloudwarden.engine.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.Severity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Each finding's life across scans and events: first seen, last seen, resolved at (null while open), the most recent
 * scans or events it was seen in, and its opened / resolved / reopened transitions. The finding key is the finding
 * id ({@link Finding#idFor}: rule + cloud + type + resource id), so the same rule on the same resource is one entry
 * however often it opens and closes.
 *
 * <p><b>Layout</b> (next to {@code findings/latest.json}):
 * <ul>
 *   <li>{@code findings/history.json}: the folded history, {@code {"schema": "cloudwarden/finding-history/v1",
 *       "updatedAt", "entries": [...]}}, entries sorted by rule then resource; rewritten by a scan with IF_MATCH on
 *       the version it read (a concurrent writer makes it re-read and re-apply), so a reader sees the old or the new
 *       document, never a mix, and a killed writer leaves the old one;</li>
 *   <li>what one event's re-read of one resource found: the resource's update ({@code snapshots/updates/…}, a
 *       {@link StateRepository.ResourceUpdate} with {@code evaluatedAt}: its findings, seen at {@code evaluatedAt},
 *       source the event id), the one object the event writes for the resource. Readers lay the pending updates over
 *       the folded history; the compaction or full scan that folds the updates into the snapshot folds them into the
 *       history first ({@link #foldUpdates}), then deletes them;</li>
 *   <li>{@code findings/history/observations/<observedAt>-<16 hex of SHA-256(match key)>-<12 hex of SHA-256(content)>.json}
 *       ({@code cloudwarden/finding-observation/v1}): the same, as events wrote it apart from the update before the
 *       update carried it. Still read and laid over the history, folded by the next scan or compaction and then
 *       deleted; no longer written.</li>
 * </ul>
 * Folding is idempotent: a change no newer than what an entry already records is ignored, so an observation folded by a
 * writer that died before deleting it changes nothing the second time.
 *
 * <p><b>What was not read is never reported as absent.</b> A scan resolves a finding only when the scan read its
 * resource's scope ({@code covered}): a finding on a resource of a shard that failed, or of a cloud or type the scan
 * did not cover, keeps its state and its last-seen time.
 *
 * <p><b>Retention</b> (bounded growth): an entry keeps its newest {@link #KEEP_SIGHTINGS} sightings and
 * {@link #KEEP_TRANSITIONS} transitions (older ones are counted in {@code timesSeen} only); an entry resolved more
 * than {@link #KEEP_RESOLVED} before the latest scan is dropped. Open findings are always kept.
 */
public final class FindingHistory {
    public static final String KEY = "findings/history.json";
    public static final String OBSERVATIONS = "findings/history/observations/";
    public static final String SCHEMA = "cloudwarden/finding-history/v1";
    public static final String OBSERVATION_SCHEMA = "cloudwarden/finding-observation/v1";
    /** Sightings (scans or events that saw the finding) kept per entry: the newest ones. */
    public static final int KEEP_SIGHTINGS = 10;
    /** Opened / resolved / reopened transitions kept per entry: the newest ones. */
    public static final int KEEP_TRANSITIONS = 20;
    /** How long a resolved finding stays in the history after it was resolved. */
    public static final Duration KEEP_RESOLVED = Duration.ofDays(90);
    private static final int MAX_ATTEMPTS = 50;

    private final StateStore store;
    private final ObjectMapper mapper = ModelJson.mapper();

    /** False: every fold is {@link #foldWhole}, the reference the tests compare the streamed fold with. */
    private final boolean streamed;

    public FindingHistory(StateStore store) {
        this(store, true);
    }

    FindingHistory(StateStore store, boolean streamed) {
        this.store = Objects.requireNonNull(store, "store");
        this.streamed = streamed;
    }

    /** The state a finding moved into. */
    public enum Change { OPENED, RESOLVED, REOPENED }

    /** A scan or event that saw the finding open: when, and which ({@code scan:<trigger>}, {@code event:<id>}). */
    @JsonPropertyOrder({"at", "source"})
    public record Sighting(Instant at, String source) {
        public Sighting {
            Objects.requireNonNull(at, "at");
            source = source == null ? "" : source;
        }
    }

    /** A change of state: opened (first seen), resolved (read and no longer failing), reopened. */
    @JsonPropertyOrder({"at", "change", "source"})
    public record Transition(Instant at, Change change, String source) {
        public Transition {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(change, "change");
            source = source == null ? "" : source;
        }
    }

    /** One finding's history. {@code resolvedAt} is null while the finding is open. */
    @JsonPropertyOrder({"findingId", "ruleId", "title", "severity", "resource", "firstSeen", "lastSeen",
            "resolvedAt", "timesSeen", "seenIn", "transitions"})
    public record Entry(String findingId, String ruleId, String title, Severity severity, ResourceRef resource,
            Instant firstSeen, Instant lastSeen, Instant resolvedAt, long timesSeen, List<Sighting> seenIn,
            List<Transition> transitions) {
        public Entry {
            Objects.requireNonNull(findingId, "findingId");
            Objects.requireNonNull(resource, "resource");
            title = title == null ? "" : title;
            seenIn = seenIn == null ? List.of() : List.copyOf(seenIn);
            transitions = transitions == null ? List.of() : List.copyOf(transitions);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean open() {
            return resolvedAt == null;
        }

        /** The newest time this entry records a change at (a sighting or a resolution). */
        Instant latest() {
            return resolvedAt != null && resolvedAt.isAfter(lastSeen) ? resolvedAt : lastSeen;
        }
    }

    /** The folded history as stored. */
    @JsonPropertyOrder({"schema", "updatedAt", "entries"})
    public record Document(String schema, Instant updatedAt, List<Entry> entries) {
        public Document {
            schema = schema == null ? SCHEMA : schema;
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /**
     * What one event's re-read of one resource found: the findings open on it ({@code deleted}: the resource is
     * gone, so none are).
     */
    @JsonPropertyOrder({"schema", "observedAt", "ref", "source", "findings"})
    public record Observation(String schema, Instant observedAt, ResourceRef ref, String source,
            List<Finding> findings) {
        public Observation {
            schema = schema == null ? OBSERVATION_SCHEMA : schema;
            Objects.requireNonNull(observedAt, "observedAt");
            Objects.requireNonNull(ref, "ref");
            source = source == null ? "" : source;
            findings = findings == null ? List.of() : List.copyOf(findings);
        }

        public static Observation of(Instant observedAt, ResourceRef ref, String eventId, List<Finding> findings) {
            return new Observation(OBSERVATION_SCHEMA, observedAt, ref, eventId, findings);
        }
    }

    /**
     * Records a scan observed at {@code at}: the findings on resources it {@code covered} are seen, the open findings
     * of covered resources that are no longer among them are resolved, and everything else is left as it was. The
     * pending event observations are folded in time order with it.
     */
    public void recordScan(Instant at, String source, List<Finding> findings, Predicate<ResourceRef> covered) {
        Objects.requireNonNull(at, "at");
        Map<String, List<Finding>> byResource = new HashMap<>();
        for (Finding f : findings) {
            if (covered.test(f.resource())) {
                byResource.computeIfAbsent(f.resource().matchKey(), k -> new ArrayList<>()).add(f);
            }
        }
        fold(Optional.of(new ScanChange(at, source, byResource, covered)), List.of());
    }

    /**
     * Folds the finding observations that {@code updates} carry (those with {@code evaluatedAt}), and the pending
     * observations of the older layout, into {@link #KEY}: what a compaction or scan does before it deletes the
     * updates. Writes nothing when there is nothing to fold.
     */
    void foldUpdates(List<StateRepository.ResourceUpdate> updates) {
        fold(Optional.empty(), observations(updates));
    }

    /** The finding observations {@code updates} carry, in their order. */
    static List<Observation> observations(List<StateRepository.ResourceUpdate> updates) {
        List<Observation> out = new ArrayList<>();
        for (StateRepository.ResourceUpdate u : updates) {
            if (u.evaluatedAt() != null) {
                out.add(new Observation(OBSERVATION_SCHEMA, u.evaluatedAt(), u.ref(), u.eventId(), u.findings()));
            }
        }
        return out;
    }

    /** Keys of the observations not yet folded, oldest first. */
    public List<String> pendingObservations() {
        return store.list(OBSERVATIONS).stream().filter(k -> k.endsWith(".json")).toList();
    }

    /**
     * The entries {@code filter} accepts, with the pending observations laid over them, sorted by rule then resource.
     * The stored document is parsed one entry at a time and only accepted entries are kept, so memory grows with the
     * answer, not with the history.
     */
    public List<Entry> entries(Predicate<Entry> filter) {
        Map<String, Entry> selected = new TreeMap<>();
        try (StoredStream o = store.open(KEY).orElse(null)) {
            if (o != null) {
                stream(o, updatedAt -> { }, e -> {
                    if (filter.test(e)) {
                        selected.put(e.findingId(), e);
                    }
                });
            }
        } catch (IOException e) {
            throw new StateStoreException(store.describe() + ": cannot read " + KEY + ": " + e.getMessage(), e);
        }
        List<PendingChange> pending = new ArrayList<>();
        for (String key : pendingObservations()) {
            readObservation(key).ifPresent(obs -> pending.add(new EventChange(obs)));
        }
        observations(new StateRepository(store).pendingUpdateRecords()).forEach(o -> pending.add(new EventChange(o)));
        pending.sort(Comparator.comparing(PendingChange::at)); // stable
        for (PendingChange c : pending) {
            apply(selected, step(c), filter);
        }
        return sorted(selected.values());
    }

    private interface PendingChange {
        Instant at();
    }

    private record ScanChange(Instant at, String source, Map<String, List<Finding>> byResource,
            Predicate<ResourceRef> covered) implements PendingChange {
    }

    private record EventChange(Observation observation) implements PendingChange {
        @Override
        public Instant at() {
            return observation.observedAt();
        }
    }

    /**
     * Folds the pending observations of the older layout, {@code fromUpdates} and the scan (when given) into
     * {@link #KEY}, then deletes the folded observation objects (the updates are deleted by their compaction).
     */
    private void fold(Optional<ScanChange> scan, List<Observation> fromUpdates) {
        boolean whole = !streamed;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<String> folded = new ArrayList<>();
            List<PendingChange> changes = new ArrayList<>();
            for (String key : pendingObservations()) {
                Optional<Observation> o = readObservation(key);
                if (o.isPresent()) {
                    folded.add(key);
                    changes.add(new EventChange(o.get()));
                }
            }
            fromUpdates.forEach(o -> changes.add(new EventChange(o)));
            scan.ifPresent(changes::add);
            if (changes.isEmpty()) {
                return; // nothing to fold: the document is not even read
            }
            changes.sort(Comparator.comparing(PendingChange::at)); // stable: a scan after events of its instant
            List<Step> steps = changes.stream().map(FindingHistory::step).toList();
            // Read after the listing: an observation folded and deleted meanwhile is in it (folding again is a
            // no-op). Decision: the stored document is streamed into the new one as it is written (StateStore.open
            // and putStream), so neither exists as one array (≈ 42 MB each at 10,000 buckets, docs/PERFORMANCE.md
            // "Streamed state reads and writes"); the write is conditional on the version of exactly the bytes read.
            try (StoredStream current = store.open(KEY).orElse(null)) {
                Precondition pre = current == null ? Precondition.IF_ABSENT : Precondition.ifMatch(current.version());
                boolean wholeFold = whole;
                store.putStream(KEY, out -> {
                    if (wholeFold) {
                        foldWhole(current, steps, out);
                    } else {
                        foldStreaming(current, steps, out);
                    }
                }, pre);
            } catch (NotInOrder e) {
                // a document this class did not write in its own order: nothing was written; fold it whole
                whole = true;
                attempt--;
                continue;
            } catch (PreconditionFailedException raced) {
                continue; // another scan or event folded meanwhile: re-read and re-apply on its result
            } catch (IOException e) {
                throw new StateStoreException(store.describe() + ": cannot read " + KEY + ": " + e.getMessage(), e);
            }
            folded.forEach(store::delete);
            return;
        }
        throw new StateStoreException(store.describe() + "/" + KEY + ": could not update the finding history after "
                + MAX_ATTEMPTS + " attempts (it kept changing)");
    }

    /**
     * One scan or event as the fold applies it to one finding at a time: the findings it saw open (by id) and the
     * resources it read ({@code resolves}: an open finding on such a resource that it did not see is resolved).
     */
    private record Step(Instant at, String source, Map<String, Finding> present, Predicate<ResourceRef> resolves) {
    }

    private static Step step(PendingChange change) {
        if (change instanceof EventChange ev) {
            Observation o = ev.observation();
            String mk = o.ref().matchKey();
            Map<String, Finding> present = new HashMap<>();
            o.findings().forEach(f -> present.put(f.id(), f)); // the last of an id wins, as before
            return new Step(o.observedAt(), "event:" + o.source(), present, ref -> ref.matchKey().equals(mk));
        }
        ScanChange sc = (ScanChange) change;
        Map<String, Finding> present = new HashMap<>();
        sc.byResource().values().forEach(fs -> fs.forEach(f -> present.putIfAbsent(f.id(), f)));
        return new Step(sc.at(), "scan:" + sc.source(), present, sc.covered());
    }

    /**
     * What {@code s} makes of the entry {@code e} of finding {@code id} (null: no entry yet): a sighting (opening or
     * reopening it) when it saw the finding, a resolution when it read the resource, the finding is open and it did
     * not see it. A step no newer than what the entry records changes nothing, so folding is idempotent.
     */
    private static Entry apply(Entry e, String id, Step s) {
        Finding f = s.present().get(id);
        Instant at = s.at();
        if (f != null) {
            Sighting sighting = new Sighting(at, s.source());
            if (e == null) {
                return new Entry(f.id(), f.ruleId(), f.title(), f.severity(), f.resource(), at, at, null, 1,
                        List.of(sighting), List.of(new Transition(at, Change.OPENED, s.source())));
            }
            if (!at.isAfter(e.latest())) {
                return e; // already folded (or older than what the entry records)
            }
            List<Transition> transitions = e.transitions();
            if (!e.open()) {
                transitions = append(transitions, new Transition(at, Change.REOPENED, s.source()), KEEP_TRANSITIONS);
            }
            return new Entry(e.findingId(), e.ruleId(), f.title(), f.severity(), e.resource(), e.firstSeen(), at,
                    null, e.timesSeen() + 1, append(e.seenIn(), sighting, KEEP_SIGHTINGS), transitions);
        }
        if (e != null && e.open() && s.resolves().test(e.resource()) && at.isAfter(e.latest())) {
            return new Entry(e.findingId(), e.ruleId(), e.title(), e.severity(), e.resource(), e.firstSeen(),
                    e.lastSeen(), at, e.timesSeen(), e.seenIn(),
                    append(e.transitions(), new Transition(at, Change.RESOLVED, s.source()), KEEP_TRANSITIONS));
        }
        return e;
    }

    /** The steps applied in order to one finding's entry (null: none yet, and none made); null when it has none. */
    private static Entry applyAll(Entry e, String id, List<Step> steps) {
        for (Step s : steps) {
            e = apply(e, id, s);
        }
        return e;
    }

    /** The document's order: by rule, then by resource (the finding id is a hash of both, so it is unique in it). */
    private static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> String.valueOf(e.ruleId()))
            .thenComparing(e -> e.resource().matchKey());
    private static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(
            (Finding f) -> String.valueOf(f.ruleId())).thenComparing(f -> f.resource().matchKey());

    private static int compare(Finding f, Entry e) {
        int c = String.valueOf(f.ruleId()).compareTo(String.valueOf(e.ruleId()));
        return c != 0 ? c : f.resource().matchKey().compareTo(e.resource().matchKey());
    }

    /** The stored document is not in {@link #ORDER} (or has no {@code updatedAt} before its entries): fold it whole. */
    private static final class NotInOrder extends RuntimeException {
        NotInOrder(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The fold as a stream (decision: a scan's fold neither holds the history's entries nor builds the new document
     * as objects, since at 10,000 buckets the history is ~20 MB of JSON and ~28,000 entries): the stored entries are
     * read one at a time in the document's order (rule, then resource), each has the steps applied and is written out
     * at once, and the findings the steps saw that the document has no entry for are merged in at their place in
     * that order. Gives the same bytes as {@link #foldWhole} (FindingHistoryTest pins it); throws {@link NotInOrder}
     * for a document not in that order (hand-edited, or from another writer), which is then folded whole.
     */
    private void foldStreaming(StoredStream current, List<Step> steps, java.io.OutputStream out) throws IOException {
        Instant newest = steps.get(steps.size() - 1).at();
        Instant horizon = newest.minus(KEEP_RESOLVED);
        Map<String, Finding> seen = new HashMap<>();
        steps.forEach(s -> s.present().forEach(seen::putIfAbsent));
        List<Finding> candidates = new ArrayList<>(seen.values());
        candidates.sort(FINDING_ORDER);
        ObjectWriter entryWriter = mapper.writerFor(Entry.class)
                .without(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            Instant[] updatedAt = {null};
            Entry[] previous = {null};
            int[] next = {0};
            boolean[] started = {false};
            java.util.function.Consumer<Entry> write = e -> {
                if (e == null || (!e.open() && e.resolvedAt().isBefore(horizon))) {
                    return;
                }
                try {
                    entryWriter.writeValue(g, e);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            };
            java.util.function.Consumer<Instant> start = storedUpdatedAt -> {
                try {
                    g.writeStartObject();
                    g.writeStringField("schema", SCHEMA);
                    g.writeFieldName("updatedAt");
                    mapper.writeValue(g, storedUpdatedAt != null && storedUpdatedAt.isAfter(newest)
                            ? storedUpdatedAt : newest);
                    g.writeArrayFieldStart("entries");
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
                started[0] = true;
            };
            if (current != null) {
                stream(current, t -> updatedAt[0] = t, e -> {
                if (!started[0]) {
                    if (updatedAt[0] == null) {
                        throw new NotInOrder("no updatedAt before the entries");
                    }
                    start.accept(updatedAt[0]);
                }
                if (previous[0] != null && ORDER.compare(previous[0], e) >= 0) {
                    throw new NotInOrder("entries not in order at " + e.findingId());
                }
                previous[0] = e;
                while (next[0] < candidates.size() && compare(candidates.get(next[0]), e) < 0) {
                    Finding f = candidates.get(next[0]++);
                    write.accept(applyAll(null, f.id(), steps));
                }
                if (next[0] < candidates.size() && compare(candidates.get(next[0]), e) == 0) {
                    if (!candidates.get(next[0]).id().equals(e.findingId())) {
                        throw new NotInOrder("two finding ids for one rule and resource: " + e.findingId());
                    }
                    next[0]++;
                }
                write.accept(applyAll(e, e.findingId(), steps));
                });
            }
            if (!started[0]) {
                start.accept(updatedAt[0]); // no stored document, or one without entries
            }
            while (next[0] < candidates.size()) {
                Finding f = candidates.get(next[0]++);
                write.accept(applyAll(null, f.id(), steps));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // writing failed (the store names the key)
        }
    }

    /**
     * The fold with every entry in memory: the stored document is read whole into a map, the steps are applied to
     * it, and the new document is written from the sorted entries. Used for a document not in the stream's order.
     */
    private void foldWhole(StoredStream current, List<Step> steps, java.io.OutputStream out) throws IOException {
        Instant newest = steps.get(steps.size() - 1).at();
        Map<String, Entry> entries = new HashMap<>();
        Instant[] stored = {null};
        if (current != null) {
            stream(current, t -> stored[0] = t, e -> entries.put(e.findingId(), e));
        }
        for (Step s : steps) {
            apply(entries, s, e -> true);
        }
        Instant horizon = newest.minus(KEEP_RESOLVED);
        entries.values().removeIf(e -> !e.open() && e.resolvedAt().isBefore(horizon));
        Instant updatedAt = stored[0] != null && stored[0].isAfter(newest) ? stored[0] : newest;
        try {
            mapper.writeValue(out, new Document(SCHEMA, updatedAt, sorted(entries.values())));
        } catch (JsonProcessingException e) {
            throw new StateStoreException("cannot serialize " + KEY + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Applies one step to {@code entries}; new entries only when {@code admit} accepts them. */
    private static void apply(Map<String, Entry> entries, Step s, Predicate<Entry> admit) {
        for (Finding f : s.present().values()) {
            Entry e = entries.get(f.id());
            Entry after = apply(e, f.id(), s);
            if (e != null || admit.test(after)) {
                entries.put(f.id(), after);
            }
        }
        for (Entry e : List.copyOf(entries.values())) {
            if (!s.present().containsKey(e.findingId())) {
                Entry after = apply(e, e.findingId(), s);
                if (after != e) {
                    entries.put(e.findingId(), after);
                }
            }
        }
    }

    private static <T> List<T> append(List<T> list, T item, int keep) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out.size() > keep ? List.copyOf(out.subList(out.size() - keep, out.size())) : List.copyOf(out);
    }

    private static List<Entry> sorted(java.util.Collection<Entry> entries) {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(ORDER);
        return out;
    }

    private Optional<Observation> readObservation(String key) {
        // Empty when a concurrent fold deleted it after the listing: the folded history then holds it.
        return store.get(key).map(o -> {
            try {
                return mapper.readValue(o.data(), Observation.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new StateStoreException("corrupt state object " + key + " in " + store.describe() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * Streams the stored document: its {@code updatedAt} to {@code updatedAt} when the parser meets it, its entries
     * one at a time to {@code sink}. A document that does not parse is a {@link StateStoreException} naming the key.
     */
    private void stream(StoredStream o, java.util.function.Consumer<Instant> updatedAt,
            java.util.function.Consumer<Entry> sink) {
        ObjectReader reader = mapper.readerFor(Entry.class);
        try (JsonParser p = mapper.getFactory().createParser(new ReadFailures(o.data()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            boolean schemaSeen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("schema".equals(field)) {
                    if (!SCHEMA.equals(p.getText())) {
                        throw new IOException("schema: expected " + SCHEMA + " but was " + p.getText());
                    }
                    schemaSeen = true;
                } else if ("updatedAt".equals(field) && value == JsonToken.VALUE_STRING) {
                    updatedAt.accept(Instant.parse(p.getText()));
                } else if ("entries".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        sink.accept(reader.readValue(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!schemaSeen) {
                throw new IOException("schema: missing (expected " + SCHEMA + ")");
            }
        } catch (NotInOrder | java.io.UncheckedIOException e) {
            throw e; // not the document's fault: out of order (folded whole), or writing the new one failed
        } catch (ReadFailed e) {
            throw new StateStoreException(store.describe() + ": cannot read " + o.key() + ": " + e.getMessage(),
                    e.getCause());
        } catch (IOException | RuntimeException e) {
            throw corrupt(o, e);
        }
    }

    /** A failure of the stored stream itself (the disk, the connection), not of the document's content. */
    private static final class ReadFailed extends IOException {
        ReadFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Marks the stream's own failures ({@link ReadFailed}), so that they are not reported as a corrupt document. */
    private static final class ReadFailures extends java.io.FilterInputStream {
        ReadFailures(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new ReadFailed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new ReadFailed(e);
            }
        }
    }

    private StateStoreException corrupt(StoredStream o, Exception e) {
        return new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                + e.getMessage(), e);
    }
}
