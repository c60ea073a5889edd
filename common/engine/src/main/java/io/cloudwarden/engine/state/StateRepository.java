package io.cloudwarden.engine.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ModelValidationException;
import io.cloudwarden.model.schema.SnapshotReader;
import io.cloudwarden.model.schema.SnapshotWriter;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's view of a {@link StateStore}: snapshots with history, the latest findings, idempotency claims and
 * generic JSON documents, in the model's JSON. Layout:
 * <ul>
 *   <li>{@code snapshots/<takenAt>.json} (history of full scans; {@code takenAt} as
 *       {@code 2026-11-23T10-00-00.000000000Z}, a fixed-width, file-name-safe form whose lexical order is time order;
 *       the newest {@code keepSnapshots} are kept) and {@code snapshots/latest.json} (the <em>base</em>: the last
 *       full scan or compaction);</li>
 *   <li>{@code snapshots/updates/<observedAt>-<resource hash>-<content hash>.json}: one {@link ResourceUpdate} per
 *       re-collected resource, written by events instead of rewriting the whole snapshot; it also carries the event's
 *       finding-history observation and actor, which the compaction or scan that deletes it folds into
 *       {@link FindingHistory} and {@link ActorIndex} first;</li>
 *   <li>{@code findings/latest.json}: {@code {"schema": "cloudwarden/findings/v1", "observedAt", "findings"}};</li>
 *   <li>{@code idempotency/<sha256(key)>.json}: the first claim of an idempotency key.</li>
 * </ul>
 * A stored object that does not parse is reported as a {@link StateStoreException} naming the key; it is never
 * overwritten by a read.
 *
 * <p><b>The latest snapshot</b> ({@link #latestSnapshot()}, {@link #latestFindings()}) is the base with the updates
 * laid over it, per resource <em>last observation wins</em>: an update replaces (or, for a deletion, removes) the
 * resource when the base has none or observed it no later than the update; updates apply in key order, which is
 * observation order, so a resource's newest update alone decides its state and only that one is read. Each update
 * is its own object written with IF_ABSENT, so concurrent event handlers never
 * overwrite each other. An update carries the resource's findings as well as its state: it is the one record of an
 * event's change (state and findings delta), {@link #recordUpdate}, and the findings document is rewritten only by
 * compactions and scans. <b>Compaction</b> ({@link #compact()}: {@code cloudwarden compact}, automatically once
 * {@link #compactionThreshold() enough} updates are pending, and as part of every full scan) writes the overlaid view
 * as the new base
 * with IF_MATCH on the base it read, then deletes exactly the updates it folded; an update written meanwhile is not
 * among them and stays laid over the new base. A scan deletes only the folded updates observed before it started,
 * so an event observed during the scan still wins over the scan's older read.
 *
 * <p><b>When compaction is due.</b> A compaction rewrites the whole base and findings document, so it is not done per
 * event: by default ({@link #COMPACT_AUTO}) it is due once as many updates are pending as the base has resources,
 * but at least {@link #AUTO_COMPACT_MIN} and at most {@link #AUTO_COMPACT_MAX}. An update holds one resource and its
 * findings, the base all of them, so the pending updates then weigh about as much as the base: the compaction's bytes
 * spread over the events that made it due come to about one update's bytes per event (up to 2,000 resources; beyond
 * that, base / 2,000), and an overlay read costs at most about one more base read (only the newest update of each
 * resource is read, the others are listed). A fixed count ({@code cloudwarden.state.compact-after = N}) replaces the
 * automatic one.
 *
 * <p><b>Caches.</b> The base is parsed once per version (a write by another process changes the version, so the
 * copy is read again); parsed updates are kept by key, which names the update's content (content hash, written
 * if-absent), so a cached update cannot go stale, and entries are dropped once their key is no longer pending. In a
 * long-running {@code serve} an event therefore reads no snapshot or update document, only the store's listing of
 * pending keys and the base's version.
 */
public final class StateRepository {
    public static final String LATEST_SNAPSHOT = "snapshots/latest.json";
    public static final String LATEST_FINDINGS = "findings/latest.json";
    public static final String FINDINGS_SCHEMA = "cloudwarden/findings/v1";
    public static final String UPDATES = "snapshots/updates/";
    public static final String UPDATE_SCHEMA = "cloudwarden/snapshot-update/v1";
    /** Full scans kept in the history by default ({@code cloudwarden.state.keep-snapshots}). */
    public static final int DEFAULT_KEEP_SNAPSHOTS = 10;
    /** {@code cloudwarden.state.compact-after = auto} (the default): see the class comment. */
    public static final int COMPACT_AUTO = 0;
    /** The automatic threshold's floor: a small state is still not compacted on every event. */
    public static final int AUTO_COMPACT_MIN = 100;
    /** The automatic threshold's cap: bounds the pending keys each event lists (2 pages of an object store's list). */
    public static final int AUTO_COMPACT_MAX = 2_000;
    /** Pending updates that trigger a compaction by default ({@code cloudwarden.state.compact-after}). */
    public static final int DEFAULT_COMPACT_AFTER = COMPACT_AUTO;
    private static final java.util.regex.Pattern HISTORY_KEY =
            java.util.regex.Pattern.compile("snapshots/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{9}Z\\.json");
    private static final int MAX_ATTEMPTS = 50;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final StateStore store;
    private final ObjectMapper mapper = ModelJson.mapper();
    private final int keepSnapshots;
    private final int compactAfter;
    /** The base last parsed, reused while its version is unchanged (the event path reads one resource of it). */
    private volatile Base cachedBase;
    /** Parsed updates by key (a key names its content, so an entry never goes stale); pruned to the pending keys. */
    private final java.util.Map<String, ResourceUpdate> cachedUpdates = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Pending updates as of this process's last listing plus the ones it recorded since (-1: not listed yet), so an
     * event that has just listed them ({@link #latestResource}) does not list again to learn that no compaction is due.
     */
    private final java.util.concurrent.atomic.AtomicInteger knownPending =
            new java.util.concurrent.atomic.AtomicInteger(-1);
    /** The findings document last parsed, reused while its version is unchanged. */
    private volatile Versioned<FindingsDocument> cachedFindings;

    public StateRepository(StateStore store) {
        this(store, DEFAULT_KEEP_SNAPSHOTS, DEFAULT_COMPACT_AFTER);
    }

    /**
     * @param keepSnapshots full scans kept in the history (at least 1); older ones are deleted after a scan is saved
     * @param compactAfter pending updates at which {@link #compactIfDue()} compacts (at least 1), or
     *     {@link #COMPACT_AUTO} for the automatic threshold (see the class comment)
     */
    public StateRepository(StateStore store, int keepSnapshots, int compactAfter) {
        this.store = Objects.requireNonNull(store, "store");
        if (keepSnapshots < 1) {
            throw new IllegalArgumentException("cloudwarden.state.keep-snapshots: expected at least 1 but was "
                    + keepSnapshots);
        }
        if (compactAfter < 0) {
            throw new IllegalArgumentException("cloudwarden.state.compact-after: expected 'auto' or at least 1 but was "
                    + compactAfter);
        }
        this.keepSnapshots = keepSnapshots;
        this.compactAfter = compactAfter;
    }

    public int keepSnapshots() {
        return keepSnapshots;
    }

    /** The configured threshold: a fixed count, or {@link #COMPACT_AUTO}. */
    public int compactAfter() {
        return compactAfter;
    }

    /**
     * Pending updates at which {@link #compactIfDue()} compacts now: the fixed count, or for {@link #COMPACT_AUTO} the
     * base's resource count bounded by {@link #AUTO_COMPACT_MIN} and {@link #AUTO_COMPACT_MAX}.
     */
    public int compactionThreshold() {
        if (compactAfter != COMPACT_AUTO) {
            return compactAfter;
        }
        int resources = base().map(b -> b.snapshot().resources().size()).orElse(0);
        return Math.max(AUTO_COMPACT_MIN, Math.min(AUTO_COMPACT_MAX, resources));
    }

    public StateStore store() {
        return store;
    }

    /** The history key of a snapshot taken at {@code takenAt}. */
    public static String snapshotKey(Instant takenAt) {
        return "snapshots/" + STAMP.format(takenAt) + ".json";
    }

    /**
     * Saves a full scan: writes it to its history key and as the new base, folds (deletes) the pending updates
     * observed before it was taken, and prunes the history to {@code keepSnapshots}; returns the history key.
     */
    public String saveSnapshot(Snapshot snapshot) {
        return saveScan(previous -> snapshot).key();
    }

    /**
     * What {@link #saveScan} wrote: the latest snapshot it merged from, the saved one and its history key. The
     * resources of {@code previous} that come from the stored base carry no {@code raw} (an empty object) unless this
     * process had the base parsed already: it is what the scan is compared with (drift reads the attributes), not
     * evidence to output.
     */
    public record SavedScan(Optional<Snapshot> previous, Snapshot snapshot, String key) {
    }

    /**
     * Saves a full scan merged from the latest snapshot: {@code merge} gets the latest (overlaid) snapshot and returns
     * the new one. The latest snapshot handed to {@code merge} may have been read without {@code raw}
     * ({@link SnapshotReader.Raw#SKIP}, see {@link SavedScan}); a resource {@code merge} carries over <em>as the same
     * instance</em> gets its stored {@code raw} back before the new snapshot is written, so what is carried over keeps
     * its evidence. {@code merge} must therefore carry resources over as they are, not rebuilt. The base is written with IF_MATCH on the base that was read; when another writer (a compaction, a
     * concurrent scan) replaced it meanwhile, the latest is read and merged again, so nothing it folded is lost.
     */
    public SavedScan saveScan(java.util.function.Function<Optional<Snapshot>, Snapshot> merge) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            // The base is read without raw (unless this process holds it parsed already): a scan replaces most of
            // it, so its raw trees (~85 % of a parsed snapshot) would only sit next to the new scan's; the ones
            // the merge carries over get theirs back from the stored base below (restoreRaw).
            View view = view(SnapshotReader.Raw.SKIP);
            Optional<Snapshot> restored = restoreRaw(view, merge.apply(view.snapshot()));
            if (restored.isEmpty()) {
                continue; // the base changed since it was read: merge again on the new one
            }
            Snapshot merged = restored.get();
            // Serialized once into small segments and streamed to both keys (StateStore.putStream): no array of the
            // whole document (10.9 MB at 10,000 buckets), which would go straight to the tenured generation and stay
            // resident for the rest of the scan (docs/PERFORMANCE.md "Streamed state reads and writes").
            SegmentedBytes bytes = new SegmentedBytes();
            try {
                SnapshotWriter.writeCompact(merged, bytes);
            } catch (IOException e) {
                throw new StateStoreException("cannot serialize the snapshot: " + e.getMessage(), e);
            }
            String key = snapshotKey(merged.takenAt());
            store.putStream(key, bytes::writeTo, Precondition.NONE);
            String version;
            try {
                version = store.putStream(LATEST_SNAPSHOT, bytes::writeTo, view.basePrecondition());
            } catch (PreconditionFailedException raced) {
                continue;
            }
            cachedBase = new Base(version, merged);
            // Updates observed after the scan started stay: they are newer than what the scan read.
            String scanStamp = UPDATES + STAMP.format(merged.takenAt());
            List<String> folded = new java.util.ArrayList<>();
            view.updates().stream().filter(u -> u.update().observedAt().isBefore(merged.takenAt()))
                    .forEach(u -> folded.add(u.key()));
            view.superseded().stream().filter(k -> k.compareTo(scanStamp) < 0).forEach(folded::add);
            foldEventRecords(folded);
            folded.forEach(store::delete);
            pruneHistory();
            return new SavedScan(view.snapshot(), merged, key);
        }
        throw new StateStoreException(store.describe() + "/" + LATEST_SNAPSHOT + ": could not save the scan after "
                + MAX_ATTEMPTS + " attempts (the base kept changing)");
    }

    /** Deletes the oldest full scans of the history beyond {@code keepSnapshots}. */
    private void pruneHistory() {
        List<String> history = historyKeys();
        for (int i = 0; i < history.size() - keepSnapshots; i++) {
            store.delete(history.get(i));
        }
    }

    /** History keys ({@code snapshots/<takenAt>.json}), oldest first. */
    public List<String> historyKeys() {
        return store.list("snapshots/").stream().filter(k -> HISTORY_KEY.matcher(k).matches()).toList();
    }

    /** The latest snapshot: the base with the pending updates laid over it (see the class comment). */
    public Optional<Snapshot> latestSnapshot() {
        return view().snapshot();
    }

    /** The newest history snapshot taken before the latest one; empty with fewer than two scans. */
    public Optional<Snapshot> previousSnapshot() {
        Optional<Snapshot> latest = latestSnapshot();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        String latestKey = snapshotKey(latest.get().takenAt());
        List<String> history = historyKeys().stream().filter(k -> k.compareTo(latestKey) < 0).toList();
        if (history.isEmpty()) {
            return Optional.empty();
        }
        String key = history.get(history.size() - 1);
        return readSnapshot(key);
    }

    /**
     * One event's change to one resource: its state as re-read ({@code resource}, null when the event deleted it)
     * and the findings of the rules on it, observed at {@code observedAt}. Two optional parts make it the event's only
     * record of what it saw (the event path writes no other state object for them):
     * {@code evaluatedAt}, when the event evaluated the rules on the re-read, makes the update the finding history's
     * observation of the resource ({@link FindingHistory}: sighting time {@code evaluatedAt}, source
     * {@code eventId}); {@code lastChange} is who changed the resource, as the event named them ({@link ActorIndex}).
     * Updates written before these parts existed have neither (their observation and actor were written apart).
     */
    @JsonPropertyOrder({"schema", "observedAt", "ref", "resource", "findings", "eventId", "evaluatedAt", "lastChange"})
    public record ResourceUpdate(String schema, Instant observedAt, io.cloudwarden.model.ResourceRef ref,
            io.cloudwarden.model.Resource resource, List<Finding> findings, String eventId,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Instant evaluatedAt,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            ActorIndex.LastChange lastChange) {
        public ResourceUpdate {
            schema = schema == null ? UPDATE_SCHEMA : schema;
            Objects.requireNonNull(observedAt, "observedAt");
            Objects.requireNonNull(ref, "ref");
            findings = findings == null ? List.of() : List.copyOf(findings);
            eventId = eventId == null ? "" : eventId;
        }

        public static ResourceUpdate present(io.cloudwarden.model.Resource resource, List<Finding> findings,
                String eventId) {
            return new ResourceUpdate(UPDATE_SCHEMA, resource.observedAt(), resource.ref(), resource, findings,
                    eventId, null, null);
        }

        public static ResourceUpdate deleted(io.cloudwarden.model.ResourceRef ref, Instant observedAt,
                String eventId) {
            return new ResourceUpdate(UPDATE_SCHEMA, observedAt, ref, null, List.of(), eventId, null, null);
        }

        /** This update as the finding history's observation of its resource, evaluated at {@code at}. */
        public ResourceUpdate evaluatedAt(Instant at) {
            return new ResourceUpdate(schema, observedAt, ref, resource, findings, eventId, at, lastChange);
        }

        /** This update carrying who changed the resource (null: no event named a known actor). */
        public ResourceUpdate withLastChange(ActorIndex.LastChange change) {
            return new ResourceUpdate(schema, observedAt, ref, resource, findings, eventId, evaluatedAt, change);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isDeletion() {
            return resource == null;
        }
    }

    /**
     * Records one resource's update as its own small object ({@code snapshots/updates/...}, IF_ABSENT) instead of
     * rewriting the snapshot; returns its key. Writing the same update twice (a redelivered event) is one object.
     */
    public String recordUpdate(ResourceUpdate update) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(update);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("cannot serialize the update of " + update.ref().matchKey() + ": "
                    + e.getOriginalMessage(), e);
        }
        String key = UPDATES + STAMP.format(update.observedAt()) + "-" + resourceHash(update.ref().matchKey()) + "-"
                + Hashing.sha256Hex(bytes).substring(0, 12) + ".json";
        try {
            store.put(key, bytes, Precondition.IF_ABSENT);
            knownPending.updateAndGet(n -> n < 0 ? n : n + 1);
        } catch (PreconditionFailedException sameContent) {
            // the key names the content: the identical update is already recorded
        }
        cachedUpdates.put(key, update);
        return key;
    }

    private static String resourceHash(String matchKey) {
        return Hashing.sha256HexPrefix(matchKey, 16);
    }

    private static final int STAMP_LENGTH = "2026-11-23T10-00-00.000000000Z".length();

    /**
     * Where the resource hash starts in an update key ({@code <stamp>-<resource hash>-<content hash>.json}); -1 for a
     * key not in that layout.
     */
    private static int resourceHashAt(String key) {
        int name = key.lastIndexOf('/') + 1;
        return key.length() - name > STAMP_LENGTH + 17 && key.charAt(name + STAMP_LENGTH) == '-'
                ? name + STAMP_LENGTH + 1 : -1;
    }

    /** The resource-hash part of an update key; the key itself for a key not in the layout. */
    private static String resourceGroup(String key) {
        int at = resourceHashAt(key);
        return at < 0 ? key : key.substring(at, at + 16);
    }

    /**
     * Whether an update key names the resource of {@code group} (a resource hash): {@code resourceGroup(key)
     * .equals(group)} without a substring per key, as every event tests every pending key.
     */
    private static boolean inGroup(String key, String group) {
        int at = resourceHashAt(key);
        return at < 0 ? key.equals(group) : group.length() == 16 && key.regionMatches(at, group, 0, 16);
    }

    /** Keys of the pending updates, in observation order. */
    public List<String> pendingUpdates() {
        List<String> pending = store.list(UPDATES).stream().filter(k -> k.endsWith(".json")).toList();
        // folded updates leave the cache (one written after this listing may go too: it is only read again)
        cachedUpdates.keySet().retainAll(new java.util.HashSet<>(pending));
        knownPending.set(pending.size());
        return pending;
    }

    /**
     * Every pending update, superseded ones included, in observation order (what the finding history and the actors
     * lay over their folded documents: each event is a sighting, not only a resource's newest). An update folded by a
     * concurrent compaction between the listing and its read is skipped: the folded documents hold it.
     */
    public List<ResourceUpdate> pendingUpdateRecords() {
        List<ResourceUpdate> out = new java.util.ArrayList<>();
        for (String key : pendingUpdates()) {
            readUpdate(key).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Before the updates {@code keys} are deleted (a compaction or a scan folded them into the base): folds what else
     * they carry, the events' finding observations into the finding history and their actors into the actors
     * document, so nothing an event recorded goes with them. Both folds are idempotent (a writer killed before the
     * deletion leaves the updates, and folding them again changes nothing).
     */
    private void foldEventRecords(List<String> keys) {
        if (keys.isEmpty()) {
            return; // a scan with no pending update: its own history fold (recordScan) takes older observations
        }
        List<ResourceUpdate> folded = new java.util.ArrayList<>();
        for (String key : keys) {
            readUpdate(key).ifPresent(folded::add);
        }
        new FindingHistory(store).foldUpdates(folded);
        new ActorIndex(this).fold(folded);
    }

    /**
     * The latest state of one resource (base plus its own updates) without reading the other resources' updates:
     * what the event path compares a re-read against. Empty when the resource is unknown or was deleted.
     */
    public Optional<io.cloudwarden.model.Resource> latestResource(io.cloudwarden.model.ResourceRef ref) {
        String matchKey = ref.matchKey();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Base> base = base();
            Optional<io.cloudwarden.model.Resource> current = base.flatMap(b -> Optional.ofNullable(
                    b.index().get(matchKey)));
            boolean missing = false;
            String group = resourceHash(matchKey);
            List<String> mine = pendingUpdates().stream().filter(k -> inGroup(k, group)).toList();
            if (!mine.isEmpty()) {
                // the newest update alone decides (see applies)
                Optional<ResourceUpdate> u = readUpdate(mine.get(mine.size() - 1));
                if (u.isEmpty()) {
                    missing = true; // folded by a concurrent compaction: read the new base
                } else if (applies(current, u.get())) {
                    current = Optional.ofNullable(u.get().resource());
                }
            }
            if (!missing && stillBase(base)) {
                return current;
            }
        }
        throw new StateStoreException(store.describe() + ": could not read a stable state of " + matchKey);
    }

    /**
     * Compacts when at least {@link #compactionThreshold()} updates are pending; true when it did. The store is listed
     * only when this process's count (its last listing plus its own updates since) reaches the threshold or it has
     * not listed yet; other processes' updates are counted at its next listing (every event lists once).
     */
    public boolean compactIfDue() {
        int threshold = compactionThreshold();
        int known = knownPending.get();
        if (known >= 0 && known < threshold) {
            return false;
        }
        if (pendingUpdates().size() < threshold) {
            return false;
        }
        compact();
        return true;
    }

    /** What a compaction did: how many updates it folded and the resulting base (empty when there is none). */
    public record Compaction(int folded, Optional<Snapshot> snapshot) {
    }

    /**
     * Folds the pending updates into a new base ({@code snapshots/latest.json}, IF_MATCH the base read) and findings
     * document, then deletes exactly the folded updates. Not written to the history, which holds full scans.
     */
    public Compaction compact() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            View view = view();
            if (view.updates().isEmpty() || view.snapshot().isEmpty()) {
                return new Compaction(0, view.snapshot());
            }
            Snapshot compacted = view.snapshot().get();
            String version;
            try {
                version = store.putStream(LATEST_SNAPSHOT, out -> SnapshotWriter.writeCompact(compacted, out),
                        view.basePrecondition());
            } catch (PreconditionFailedException raced) {
                continue;
            }
            cachedBase = new Base(version, compacted);
            if (!view.applied().isEmpty()) {
                // no update applied (all observed before the base's reads): the findings document stays as it is
                FindingsDocument findings = overlayFindings(view);
                cachedFindings = new Versioned<>(findings, putFindings(findings));
            }
            List<String> foldedKeys = new java.util.ArrayList<>();
            view.updates().forEach(u -> foldedKeys.add(u.key()));
            foldedKeys.addAll(view.superseded());
            foldEventRecords(foldedKeys);
            foldedKeys.forEach(store::delete);
            int folded = view.updates().size() + view.superseded().size();
            knownPending.updateAndGet(n -> n < 0 ? n : Math.max(0, n - folded));
            return new Compaction(view.updates().size() + view.superseded().size(), Optional.of(compacted));
        }
        throw new StateStoreException(store.describe() + "/" + LATEST_SNAPSHOT + ": could not compact after "
                + MAX_ATTEMPTS + " attempts (the base kept changing)");
    }

    /** An update applies when the current state has no such resource or observed it no later than the update. */
    private static boolean applies(Optional<io.cloudwarden.model.Resource> current, ResourceUpdate u) {
        return current.isEmpty() || !current.get().observedAt().isAfter(u.observedAt());
    }

    private record KeyedUpdate(String key, ResourceUpdate update) {
    }

    /** A parsed base; {@code rawSkipped}: its resources were read without {@code raw} (see {@link #restoreRaw}). */
    private record Base(String version, Snapshot snapshot, java.util.Map<String, io.cloudwarden.model.Resource> index,
            boolean rawSkipped) {
        Base(String version, Snapshot snapshot) {
            this(version, snapshot, false);
        }

        Base(String version, Snapshot snapshot, boolean rawSkipped) {
            this(version, snapshot, indexOf(snapshot), rawSkipped);
        }

        static java.util.Map<String, io.cloudwarden.model.Resource> indexOf(Snapshot s) {
            java.util.Map<String, io.cloudwarden.model.Resource> m = new java.util.HashMap<>();
            s.resources().forEach(r -> m.put(r.matchKey(), r));
            return m;
        }
    }

    /**
     * One consistent read: the base (and its version, for IF_MATCH), the pending updates, the overlaid snapshot and
     * the updates that won (by match key, for the findings).
     */
    private record View(Optional<Base> base, List<KeyedUpdate> updates, List<String> superseded,
            Optional<Snapshot> snapshot, java.util.Map<String, ResourceUpdate> applied) {
        Precondition basePrecondition() {
            return base.map(b -> Precondition.ifMatch(b.version())).orElse(Precondition.IF_ABSENT);
        }
    }

    /**
     * The resources of {@code merged} that {@code view}'s base was read without {@code raw} for and that the merge
     * carried over unchanged (the very instances of the base) get their {@code raw} from the stored base; empty when
     * the base is no longer the version read (the caller reads and merges again). The stored base is streamed again
     * only when something was carried over, keeping the {@code raw} of those resources alone.
     */
    private Optional<Snapshot> restoreRaw(View view, Snapshot merged) {
        Optional<Base> base = view.base();
        if (base.isEmpty() || !base.get().rawSkipped()) {
            return Optional.of(merged);
        }
        java.util.Map<String, io.cloudwarden.model.Resource> index = base.get().index();
        java.util.Set<String> carried = new java.util.HashSet<>();
        for (io.cloudwarden.model.Resource r : merged.resources()) {
            if (index.get(r.matchKey()) == r) {
                carried.add(r.matchKey());
            }
        }
        if (carried.isEmpty()) {
            return Optional.of(merged);
        }
        java.util.Map<String, JsonNode> raws = new java.util.HashMap<>();
        try (StoredStream read = store.open(LATEST_SNAPSHOT).orElse(null)) {
            if (read == null || !read.version().equals(base.get().version())) {
                return Optional.empty();
            }
            streamSnapshot(read, SnapshotReader.Raw.KEEP, r -> {
                if (carried.contains(r.matchKey())) {
                    raws.put(r.matchKey(), r.raw());
                }
            });
        } catch (IOException e) {
            throw cannotRead(LATEST_SNAPSHOT, e);
        }
        List<io.cloudwarden.model.Resource> resources = new java.util.ArrayList<>(merged.resources().size());
        for (io.cloudwarden.model.Resource r : merged.resources()) {
            if (index.get(r.matchKey()) != r) {
                resources.add(r);
                continue;
            }
            JsonNode raw = raws.get(r.matchKey());
            if (raw == null) {
                throw new StateStoreException("corrupt state object " + LATEST_SNAPSHOT + " in " + store.describe()
                        + ": " + r.matchKey() + " was in it without raw and is not in it on a second read of the"
                        + " same version");
            }
            resources.add(r.toBuilder().raw(raw).build());
        }
        return Optional.of(new Snapshot(merged.schema(), merged.takenAt(), resources, merged.errors(),
                merged.statistics()));
    }

    private Optional<Base> base() {
        return base(SnapshotReader.Raw.KEEP);
    }

    /**
     * The base, parsed once per version. With {@link SnapshotReader.Raw#SKIP} a base this process does not hold
     * already is parsed without {@code raw} and not cached: the cache serves the readers that want the whole
     * snapshot ({@code check}, the event path), and a scan caches the snapshot it writes instead.
     */
    private Optional<Base> base(SnapshotReader.Raw raw) {
        Optional<String> version = store.version(LATEST_SNAPSHOT);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Base cached = cachedBase;
        if (cached != null && cached.version().equals(version.get())) {
            return Optional.of(cached);
        }
        // streamed: the stored base (≈ 11 MB at 10,000 buckets) is parsed as it is read, never held as one array
        try (StoredStream read = store.open(LATEST_SNAPSHOT).orElse(null)) {
            if (read == null) {
                return Optional.empty();
            }
            if (raw == SnapshotReader.Raw.SKIP) {
                List<io.cloudwarden.model.Resource> resources = new java.util.ArrayList<>();
                SnapshotReader.Header h = streamSnapshot(read, raw, resources::add);
                return Optional.of(new Base(read.version(),
                        new Snapshot(h.schema(), h.takenAt(), resources, h.errors()), true));
            }
            Base fresh = new Base(read.version(), readSnapshot(read));
            cachedBase = fresh;
            return Optional.of(fresh);
        } catch (IOException e) {
            throw cannotRead(LATEST_SNAPSHOT, e);
        }
    }

    /** True when the base is still the one read (so the updates listed after it belong to it). */
    private boolean stillBase(Optional<Base> base) {
        return store.version(LATEST_SNAPSHOT).equals(base.map(Base::version));
    }

    private Optional<ResourceUpdate> readUpdate(String key) {
        ResourceUpdate cached = cachedUpdates.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<ResourceUpdate> read = store.get(key).map(o -> decode(o, ResourceUpdate.class));
        read.ifPresent(u -> cachedUpdates.put(key, u));
        return read;
    }

    private View view() {
        return view(SnapshotReader.Raw.KEEP);
    }

    private View view(SnapshotReader.Raw raw) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Base> base = base(raw);
            List<KeyedUpdate> updates = new java.util.ArrayList<>();
            boolean missing = false;
            // Only the newest update of each resource decides its state (see applies), so only it is read; the
            // older ones are superseded and folded (deleted) with it.
            java.util.Map<String, String> newest = new java.util.LinkedHashMap<>();
            List<String> superseded = new java.util.ArrayList<>();
            for (String key : pendingUpdates()) {
                String previous = newest.put(resourceGroup(key), key);
                if (previous != null) {
                    superseded.add(previous);
                }
            }
            List<String> toRead = new java.util.ArrayList<>(newest.values());
            toRead.sort(null);
            for (String key : toRead) {
                Optional<ResourceUpdate> u = readUpdate(key);
                if (u.isEmpty()) {
                    missing = true; // folded and deleted by a concurrent compaction: re-read from the new base
                    break;
                }
                updates.add(new KeyedUpdate(key, u.get()));
            }
            if (missing || !stillBase(base)) {
                continue; // a compaction or scan replaced the base while the updates were read
            }
            if (updates.isEmpty()) {
                return new View(base, List.of(), List.of(), base.map(Base::snapshot), java.util.Map.of());
            }
            java.util.Map<String, io.cloudwarden.model.Resource> resources = new java.util.HashMap<>(
                    base.map(Base::index).orElse(java.util.Map.of()));
            java.util.Map<String, ResourceUpdate> applied = new java.util.HashMap<>();
            Instant takenAt = base.map(b -> b.snapshot().takenAt()).orElse(Instant.EPOCH);
            for (KeyedUpdate k : updates) {
                ResourceUpdate u = k.update();
                String mk = u.ref().matchKey();
                if (!applies(Optional.ofNullable(resources.get(mk)), u)) {
                    continue;
                }
                if (u.isDeletion()) {
                    resources.remove(mk);
                } else {
                    resources.put(mk, u.resource());
                }
                applied.put(mk, u);
                takenAt = u.observedAt().isAfter(takenAt) ? u.observedAt() : takenAt;
            }
            List<io.cloudwarden.model.Resource> sorted = new java.util.ArrayList<>(resources.values());
            sorted.sort(java.util.Comparator.comparing((io.cloudwarden.model.Resource r) -> r.cloud().id())
                    .thenComparing(io.cloudwarden.model.Resource::type)
                    .thenComparing(io.cloudwarden.model.Resource::id));
            Snapshot overlaid = Snapshot.of(takenAt, sorted,
                    base.map(b -> b.snapshot().errors()).orElse(List.of()));
            return new View(base, List.copyOf(updates), List.copyOf(superseded), Optional.of(overlaid), applied);
        }
        throw new StateStoreException(store.describe() + ": could not read a stable latest snapshot after "
                + MAX_ATTEMPTS + " attempts (compactions kept racing the read)");
    }

    /** The stored findings document ({@code findings/latest.json}), parsed once per version. */
    private Optional<FindingsDocument> storedFindings() {
        Optional<String> version = store.version(LATEST_FINDINGS);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Versioned<FindingsDocument> cached = cachedFindings;
        if (cached != null && cached.version().equals(version.get())) {
            return Optional.of(cached.value());
        }
        Optional<Versioned<FindingsDocument>> read = getJsonVersioned(LATEST_FINDINGS, FindingsDocument.class);
        read.ifPresent(r -> cachedFindings = r);
        return read.map(Versioned::value);
    }

    private FindingsDocument overlayFindings(View view) {
        Optional<FindingsDocument> base = storedFindings();
        if (view.applied().isEmpty()) {
            return base.orElse(null);
        }
        List<Finding> all = new java.util.ArrayList<>();
        base.map(FindingsDocument::findings).orElse(List.of()).stream()
                .filter(f -> !view.applied().containsKey(f.resource().matchKey())).forEach(all::add);
        Instant observedAt = base.map(FindingsDocument::observedAt).orElse(Instant.EPOCH);
        for (ResourceUpdate u : view.applied().values()) {
            all.addAll(u.findings());
            observedAt = observedAt == null || u.observedAt().isAfter(observedAt) ? u.observedAt() : observedAt;
        }
        return new FindingsDocument(FINDINGS_SCHEMA, observedAt, all);
    }

    /** Findings document as stored. */
    @JsonPropertyOrder({"schema", "observedAt", "findings"})
    public record FindingsDocument(String schema, Instant observedAt, List<Finding> findings) {
        public FindingsDocument {
            schema = schema == null ? FINDINGS_SCHEMA : schema;
            findings = findings == null ? List.of() : List.copyOf(findings);
        }
    }

    public String saveFindings(List<Finding> findings, Instant observedAt) {
        FindingsDocument document = new FindingsDocument(FINDINGS_SCHEMA, observedAt, findings);
        String version = putFindings(document);
        cachedFindings = new Versioned<>(document, version);
        return version;
    }

    /** The latest findings: the stored document with the findings of the pending updates laid over it. */
    public Optional<FindingsDocument> latestFindings() {
        View view = view();
        if (view.applied().isEmpty()) {
            return storedFindings();
        }
        return Optional.of(overlayFindings(view));
    }

    public <T> Optional<T> getJson(String key, Class<T> type) {
        return getJsonVersioned(key, type).map(Versioned::value);
    }

    public <T> Optional<Versioned<T>> getJsonVersioned(String key, Class<T> type) {
        return store.get(key).map(o -> new Versioned<>(decode(o, type), o.version()));
    }

    /** Serializes {@code value} with the model mapper and writes it under {@code precondition}; returns the version. */
    /**
     * Writes the latest findings without indentation, like the stored snapshot ({@code SnapshotWriter#toCompactBytes}),
     * whether a scan or a compaction writes them: 27,666 findings of a 10,000-bucket scan are 13.9 MB instead of
     * 18.4 MB to build, hash and write.
     */
    private String putFindings(FindingsDocument document) {
        // streamed into the store: no array of the whole document (13.9 MB at 10,000 buckets)
        return store.putStream(LATEST_FINDINGS, out -> ModelJson.mapper().writeValue(out, document), Precondition.NONE);
    }

    public String putJson(String key, Object value, Precondition precondition) {
        try {
            return store.put(key, ModelJson.pretty().writeValueAsBytes(value), precondition);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("cannot serialize " + key + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Records {@code idempotencyKey} once: true for the first claim, false when it was already claimed (the
     * original record is kept). The key is hashed so any string is a safe file name.
     */
    public boolean claimOnce(String idempotencyKey, JsonNode record) {
        String key = idempotencyPath(idempotencyKey);
        try {
            putJson(key, record, Precondition.IF_ABSENT);
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    /** True when {@code idempotencyKey} was already claimed. */
    public boolean isClaimed(String idempotencyKey) {
        return store.get(idempotencyPath(idempotencyKey)).isPresent();
    }

    private static String idempotencyPath(String idempotencyKey) {
        return "idempotency/" + Hashing.sha256Hex(idempotencyKey) + ".json";
    }

    private StateStoreException cannotRead(String key, IOException e) {
        return new StateStoreException(store.describe() + ": cannot read " + key + ": " + e.getMessage(), e);
    }

    private Optional<Snapshot> readSnapshot(String key) {
        try (StoredStream o = store.open(key).orElse(null)) {
            return o == null ? Optional.empty() : Optional.of(readSnapshot(o));
        } catch (IOException e) {
            throw cannotRead(key, e);
        }
    }

    private SnapshotReader.Header streamSnapshot(StoredStream o, SnapshotReader.Raw raw,
            java.util.function.Consumer<io.cloudwarden.model.Resource> each) {
        try {
            return SnapshotReader.stream(o.data(), store.describe() + "/" + o.key(), raw, each);
        } catch (ModelValidationException e) {
            throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private Snapshot readSnapshot(StoredStream o) {
        try {
            return SnapshotReader.read(o.data(), store.describe() + "/" + o.key());
        } catch (ModelValidationException e) {
            throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private <T> T decode(StoredObject o, Class<T> type) {
        try {
            T v = mapper.readValue(o.data(), type);
            if (v == null) {
                throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe()
                        + ": empty document");
            }
            return v;
        } catch (IOException | IllegalArgumentException e) {
            throw new StateStoreException("corrupt state object " + o.key() + " in " + store.describe() + ": "
                    + e.getMessage(), e);
        }
    }

}
