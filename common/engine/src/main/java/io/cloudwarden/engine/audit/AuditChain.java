package io.cloudwarden.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.audit.AuditVerification.Kind;
import io.cloudwarden.engine.audit.AuditVerification.Problem;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The tamper-evident audit trail, stored as segments in a {@link StateStore}; docs/AUDIT.md describes the format.
 *
 * <p><b>Records and chaining</b> (unchanged from the single-file trail). {@code seq} starts at 1 and grows by one;
 * {@code prevHash} is the predecessor's {@code hash} ({@link AuditRecord#GENESIS} for the first); {@code hash} =
 * SHA-256 hex of the record's canonical JSON without its {@code hash} field (object keys sorted at every level, no
 * insignificant whitespace, UTF-8). The chain runs across segments: a segment's first record names the previous
 * segment's last hash.
 *
 * <p><b>Segments.</b> {@code audit/segments/<n>.jsonl} (n zero-padded to 12 digits, from 1) holds exactly
 * {@code segmentRecords} records (default {@value #DEFAULT_SEGMENT_RECORDS}), seq {@code base+(n-1)*S+1} to
 * {@code base+n*S}; only the last segment is open. Segments are by count, not by hour, so which segment a seq lives
 * in is arithmetic and a segment's size, hence the cost of an append, is bounded whatever the traffic. An append
 * reads and rewrites only the open segment (compare-and-swap: IF_MATCH, or IF_ABSENT to open the next segment), so
 * its cost does not grow with the trail, and concurrent writers contend only on that segment. {@code audit/head.json}
 * fixes the segment size and the {@code base} (records of a pre-segment trail), and hints at the open segment;
 * writers probe forward from the hint, so a stale hint costs a read, never a fork.
 *
 * <p><b>Digests.</b> The writer that opens segment n+1 closes n: it writes {@code audit/digests/<n>.json} (a
 * {@link SegmentDigest}, IF_ABSENT, in the digest store, which may be a separate write-once bucket), signed by the
 * {@link AuditSigner} when one is configured. A digest a crashed writer did not write is written by the next writer
 * that closes a segment (digests chain, so the missing one is filled in first).
 *
 * <p><b>The single-file trail.</b> A trail written before segments ({@link #KEY audit.jsonl}) is kept as is, read
 * as segment 0: the first append of this version freezes it ({@code base} = its records, {@code baseHash} = its last
 * hash, digest 0 when signing) and continues the chain in segment 1. Nothing is rewritten; verify checks it too.
 *
 * <p><b>Secrets.</b> Before hashing, {@code details} are scrubbed: values under keys that look secret (secret,
 * token, password, signature, authorization, credential, private key, key material, api key, cookie) are replaced by
 * {@code "[redacted]"}, recursively.
 */
public final class AuditChain {
    /** The single-file trail of earlier versions: segment 0 when present. */
    public static final String KEY = "audit.jsonl";
    public static final String HEAD = "audit/head.json";
    public static final String SEGMENTS = "audit/segments/";
    public static final String DIGESTS = "audit/digests/";
    public static final String FORMAT = "cloudwarden-audit/2";
    /** Records per segment: an append rewrites at most this many records (about 32 KiB at typical sizes). */
    public static final int DEFAULT_SEGMENT_RECORDS = 64;
    static final String REDACTED = "[redacted]";
    private static final System.Logger LOG = System.getLogger(AuditChain.class.getName());
    private static final int MAX_ATTEMPTS = 10_000;
    private static final List<String> SECRET_MARKERS = List.of("secret", "token", "password", "passwd",
            "signature", "authorization", "credential", "privatekey", "private_key", "keymaterial", "key_material",
            "apikey", "api_key", "cookie");

    /**
     * How a trail is written: records per segment (for a new trail), where digests go, who signs them, and whether
     * this writer closes segments ({@code seals}). A deployment whose scanner instances may not sign runs them with
     * {@code seals = false}: they append, and the audit writer (the identity holding the signing key) writes the
     * digests of every segment closed since, on its next close or with {@link #seal()}.
     */
    public record Settings(int segmentRecords, Optional<StateStore> digestStore, Optional<AuditSigner> signer,
            boolean seals) {
        public static final Settings DEFAULT = new Settings(DEFAULT_SEGMENT_RECORDS, Optional.empty(),
                Optional.empty(), true);

        public Settings {
            if (segmentRecords < 1) {
                throw new IllegalArgumentException("segmentRecords: expected at least 1 but was " + segmentRecords);
            }
            Objects.requireNonNull(digestStore, "digestStore");
            Objects.requireNonNull(signer, "signer");
        }

        public Settings withSigner(AuditSigner s) {
            return new Settings(segmentRecords, digestStore, Optional.of(s), seals);
        }

        public Settings withDigestStore(StateStore s) {
            return new Settings(segmentRecords, Optional.of(s), signer, seals);
        }

        public Settings withSegmentRecords(int n) {
            return new Settings(n, digestStore, signer, seals);
        }

        public Settings withSeals(boolean seal) {
            return new Settings(segmentRecords, digestStore, signer, seal);
        }
    }

    /** What {@link #verify(Scope, Optional)} checks: everything, records in a time range, or one segment. */
    public record Scope(Optional<Instant> since, Optional<Instant> until, OptionalLong segment) {
        public static final Scope ALL = new Scope(Optional.empty(), Optional.empty(), OptionalLong.empty());

        public static Scope between(Instant since, Instant until) {
            return new Scope(Optional.ofNullable(since), Optional.ofNullable(until), OptionalLong.empty());
        }

        public static Scope segment(long n) {
            return new Scope(Optional.empty(), Optional.empty(), OptionalLong.of(n));
        }

        boolean overlaps(Instant first, Instant last) {
            return (since.isEmpty() || last == null || !last.isBefore(since.get()))
                    && (until.isEmpty() || first == null || first.isBefore(until.get()));
        }
    }

    /** The fixed layout of a trail, from {@code audit/head.json}. */
    record Layout(int segmentRecords, long base, String baseHash) {
        long firstSeq(long segment) {
            return segment == 0 ? 1 : base + (segment - 1) * segmentRecords + 1;
        }

        long lastSeq(long segment) {
            return segment == 0 ? base : base + segment * segmentRecords;
        }
    }

    private final StateStore store;
    private final StateStore digests;
    private final Clock clock;
    private final Settings settings;
    private volatile Layout layout;
    private final AtomicLong openHint = new AtomicLong(0);

    public AuditChain(StateStore store) {
        this(store, Clock.systemUTC());
    }

    public AuditChain(StateStore store, Clock clock) {
        this(store, clock, Settings.DEFAULT);
    }

    public AuditChain(StateStore store, Clock clock, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.digests = settings.digestStore().orElse(store);
    }

    public String describe() {
        return store.describe();
    }

    // ---------------------------------------------------------------------------------------------- appending

    /**
     * Is told every record once it is stored (metrics count audited decisions: docs/TELEMETRY.md). A listener that
     * throws does not undo or fail the append; it is called on the appending thread.
     */
    public void onAppend(java.util.function.Consumer<AuditRecord> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private final java.util.List<java.util.function.Consumer<AuditRecord>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public AuditRecord append(Actor actor, String action, String subject, String outcome, JsonNode details) {
        return appendAll(List.of(new Entry(actor, action, subject, outcome, details))).get(0);
    }

    /** Entries recorded on this thread inside {@link #batched}, not yet written (null: no batch open). */
    private final ThreadLocal<List<Entry>> batch = new ThreadLocal<>();

    /**
     * Records a decision: appended now, or, while {@link #batched} runs on this thread, kept for the batch's one write
     * (in order, before the batch returns). What a caller that needs the stored record uses is {@link #append}.
     */
    public void record(Actor actor, String action, String subject, String outcome, JsonNode details) {
        Entry e = new Entry(actor, action, subject, outcome, details);
        List<Entry> open = batch.get();
        if (open != null) {
            open.add(e);
        } else {
            appendAll(List.of(e));
        }
    }

    /**
     * Runs {@code work} with the records made through {@link #record} on this thread gathered, and appends them with
     * one write ({@link #appendAll}) when it ends, also when it throws: the event path's records (the event, the plans
     * it created) cost one segment rewrite instead of one each. {@link #flush} writes them earlier, before anything
     * whose record must be durable first (a change applied to the cloud). Nested calls join the outer batch.
     */
    public <T> T batched(java.util.function.Supplier<T> work) {
        if (batch.get() != null) {
            return work.get();
        }
        batch.set(new ArrayList<>());
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                flush();
            } catch (RuntimeException flushFailed) {
                e.addSuppressed(flushFailed);
            }
            batch.remove();
            throw e;
        }
        try {
            flush();
        } finally {
            batch.remove();
        }
        return result;
    }

    /** Appends the records gathered by the open {@link #batched} call of this thread now (nothing when none is open). */
    public void flush() {
        List<Entry> open = batch.get();
        if (open == null || open.isEmpty()) {
            return;
        }
        List<Entry> pending = List.copyOf(open);
        open.clear();
        appendAll(pending);
    }

    /** One record to append: what {@link #append} takes. */
    public record Entry(Actor actor, String action, String subject, String outcome, JsonNode details) {
        public Entry {
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * Appends {@code entries} in order, chained one after another, with as few writes as the segments allow: one write
     * when they fit in the open segment (the usual case), one more per segment they spill into. Each write is a whole
     * segment replaced atomically (compare-and-swap), so a crash leaves the records of the writes that completed and
     * the chain intact; a reader never sees half a batch of one write. Returns the stored records.
     */
    public List<AuditRecord> appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<AuditRecord> stored = store(entries);
        for (AuditRecord r : stored) {
            for (java.util.function.Consumer<AuditRecord> l : listeners) {
                try {
                    l.accept(r);
                } catch (RuntimeException e) {
                    System.getLogger(AuditChain.class.getName()).log(System.Logger.Level.WARNING,
                            "audit listener failed on record {0}: {1}", r.seq(), e.toString());
                }
            }
        }
        return stored;
    }

    private List<AuditRecord> store(List<Entry> entries) {
        List<JsonNode> scrubbed = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            scrubbed.add(scrub(e.details() == null ? JsonNodeFactory.instance.objectNode() : e.details()));
        }
        Layout l = layout();
        List<AuditRecord> stored = new ArrayList<>(entries.size());
        long n = Math.max(1, openHint.get());
        String prevOfNext = null; // the last hash of segment n-1 when the probe just came from there
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int done = stored.size();
            String key = segmentKey(n);
            Optional<StoredObject> current = store.get(key);
            if (current.isEmpty()) {
                String prev = n == 1 ? l.baseHash() : prevOfNext != null ? prevOfNext : lastHashOfFull(l, n - 1);
                List<AuditRecord> chunk = chain(l.firstSeq(n), l.lastSeq(n), entries, scrubbed, done, prev);
                try {
                    store.put(key, appendLines(new byte[0], chunk), Precondition.IF_ABSENT);
                } catch (PreconditionFailedException raced) {
                    backOff(attempt);
                    continue;
                }
                stored.addAll(chunk);
                openHint.accumulateAndGet(n, Math::max);
                if (n > 1) {
                    hintHead(l, n);
                    if (settings.seals()) {
                        closeQuietly(l, n - 1);
                    }
                }
                if (stored.size() == entries.size()) {
                    return stored;
                }
                prevOfNext = chunk.get(chunk.size() - 1).hash();
                n++;
                continue;
            }
            byte[] old = current.get().data();
            ObjectNode last = lastRecord(key, old);
            long lastSeq = last.path("seq").asLong();
            if (lastSeq < l.firstSeq(n) || lastSeq > l.lastSeq(n)) {
                throw new StateStoreException(store.describe() + "/" + key + ": ends at seq " + lastSeq
                        + ", outside the segment's " + l.firstSeq(n) + ".." + l.lastSeq(n)
                        + "; refusing to extend a damaged trail (run audit verify)");
            }
            if (lastSeq == l.lastSeq(n)) { // full: the records go to the next segment
                prevOfNext = last.path("hash").asText();
                n++;
                openHint.accumulateAndGet(n, Math::max);
                continue;
            }
            List<AuditRecord> chunk = chain(lastSeq + 1, l.lastSeq(n), entries, scrubbed, done,
                    last.path("hash").asText());
            try {
                store.put(key, appendLines(old, chunk), Precondition.ifMatch(current.get().version()));
            } catch (PreconditionFailedException raced) {
                backOff(attempt);
                continue;
            }
            stored.addAll(chunk);
            if (stored.size() == entries.size()) {
                return stored;
            }
            prevOfNext = chunk.get(chunk.size() - 1).hash();
            n++;
            openHint.accumulateAndGet(n, Math::max);
        }
        throw new StateStoreException(store.describe() + "/" + SEGMENTS + ": could not append after " + MAX_ATTEMPTS
                + " attempts (too many concurrent writers)");
    }

    /** The records of {@code entries} from index {@code from} that fit in seq {@code firstSeq..lastSeq}, chained. */
    private List<AuditRecord> chain(long firstSeq, long lastSeq, List<Entry> entries, List<JsonNode> scrubbed,
            int from, String prev) {
        List<AuditRecord> chunk = new ArrayList<>();
        String p = prev;
        for (int i = from; i < entries.size() && firstSeq + chunk.size() <= lastSeq; i++) {
            Entry e = entries.get(i);
            AuditRecord r = record(firstSeq + chunk.size(), e.actor(), e.action(), e.subject(), e.outcome(),
                    scrubbed.get(i), p);
            chunk.add(r);
            p = r.hash();
        }
        return chunk;
    }

    private AuditRecord record(long seq, Actor actor, String action, String subject, String outcome,
            JsonNode scrubbed, String prev) {
        return linked(seq, clock.instant(), actor, action, subject, outcome, scrubbed, prev);
    }

    /**
     * The record the writer would append at {@code seq} after a record whose hash is {@code prevHash}: details
     * scrubbed, hash computed. For tools that build trails in the writer's format (the benchmark's 1M-record trail).
     */
    public static AuditRecord linked(long seq, Instant time, Actor actor, String action, String subject,
            String outcome, JsonNode details, String prevHash) {
        JsonNode scrubbed = scrub(details == null ? JsonNodeFactory.instance.objectNode() : details);
        AuditRecord unsigned = new AuditRecord(seq, time, actor, action, subject, outcome, scrubbed, prevHash, "");
        return new AuditRecord(seq, time, unsigned.actor(), action, unsigned.subject(), unsigned.outcome(), scrubbed,
                prevHash, hashOf(toTree(unsigned)));
    }

    /** The last hash of segment {@code n}, which must exist and be full (the next one is being opened). */
    private String lastHashOfFull(Layout l, long n) {
        String key = segmentKey(n);
        StoredObject o = store.get(key).orElseThrow(() -> new StateStoreException(store.describe() + "/" + key
                + " is missing but the trail's head is past it; refusing to extend a damaged trail (run audit verify)"));
        ObjectNode last = lastRecord(key, o.data());
        if (last.path("seq").asLong() != l.lastSeq(n)) {
            throw new StateStoreException(store.describe() + "/" + key + ": expected to end at seq " + l.lastSeq(n)
                    + "; refusing to extend a damaged trail (run audit verify)");
        }
        return last.path("hash").asText();
    }

    /** The layout of the trail, creating {@code audit/head.json} (and freezing a single-file trail) when absent. */
    private Layout layout() {
        Layout l = layout;
        if (l != null) {
            return l;
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<StoredObject> head = store.get(HEAD);
            if (head.isPresent()) {
                JsonNode h = parseHead(head.get());
                l = new Layout(h.path("segmentRecords").asInt(), h.path("base").asLong(), h.path("baseHash").asText());
                openHint.accumulateAndGet(h.path("segment").asLong(1), Math::max);
                layout = l;
                return l;
            }
            LegacyTail legacy = legacyTail();
            ObjectNode h = JsonNodeFactory.instance.objectNode().put("format", FORMAT)
                    .put("segmentRecords", settings.segmentRecords()).put("base", legacy.records())
                    .put("baseHash", legacy.lastHash()).put("segment", 1);
            try {
                store.put(HEAD, json(h), Precondition.IF_ABSENT);
            } catch (PreconditionFailedException raced) {
                continue;
            }
            l = new Layout(settings.segmentRecords(), legacy.records(), legacy.lastHash());
            layout = l;
            if (legacy.records() > 0 && settings.seals()) {
                closeQuietly(l, 0);
            }
            return l;
        }
        throw new StateStoreException(store.describe() + "/" + HEAD + ": could not be created nor read");
    }

    private JsonNode parseHead(StoredObject head) {
        try {
            JsonNode h = ModelJson.mapper().readTree(head.data());
            if (!FORMAT.equals(h.path("format").asText()) || h.path("segmentRecords").asInt() < 1
                    || !h.path("base").canConvertToLong() || !h.path("baseHash").isTextual()) {
                throw new StateStoreException(store.describe() + "/" + HEAD + ": expected format " + FORMAT
                        + " with segmentRecords >= 1, base and baseHash");
            }
            return h;
        } catch (IOException e) {
            throw new StateStoreException(store.describe() + "/" + HEAD + ": not JSON (" + e.getMessage() + ")", e);
        }
    }

    private record LegacyTail(long records, String lastHash) {
    }

    private LegacyTail legacyTail() {
        Optional<StoredObject> legacy = store.get(KEY);
        if (legacy.isEmpty() || new String(legacy.get().data(), StandardCharsets.UTF_8).isBlank()) {
            return new LegacyTail(0, AuditRecord.GENESIS);
        }
        ObjectNode last = lastRecord(KEY, legacy.get().data());
        return new LegacyTail(last.path("seq").asLong(), last.path("hash").asText());
    }

    /** Moves the hint in {@code audit/head.json} forward (best effort: a stale hint only costs later probes). */
    private void hintHead(Layout l, long segment) {
        ObjectNode h = JsonNodeFactory.instance.objectNode().put("format", FORMAT)
                .put("segmentRecords", l.segmentRecords()).put("base", l.base()).put("baseHash", l.baseHash())
                .put("segment", segment);
        try {
            store.put(HEAD, json(h), Precondition.NONE);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not update " + HEAD + " in " + store.describe() + ": "
                    + e.getMessage());
        }
    }

    /** Writes the digests of closed segments up to {@code n} that are missing; a failure is logged, not thrown. */
    private void closeQuietly(Layout l, long n) {
        try {
            close(l, n);
        } catch (RuntimeException e) {
            // The record is committed; failing the append would make its caller retry and duplicate it. The next
            // writer to close a segment writes the missing digest first.
            LOG.log(System.Logger.Level.WARNING, "could not write the digest of audit segment " + n + " in "
                    + digests.describe() + ": " + e.getMessage());
        }
    }

    /**
     * Writes the digest of every closed segment that has none (what writers that do not seal left behind, or a writer
     * that crashed between closing a segment and its digest) and returns how many it wrote. Errors are thrown.
     */
    public int seal() {
        if (!exists()) {
            return 0;
        }
        Layout l = layout();
        List<Long> segs = numbers(store.list(SEGMENTS), SEGMENTS, ".jsonl");
        long lastClosed = l.base() > 0 ? 0 : -1;
        if (!segs.isEmpty()) {
            long max = segs.get(segs.size() - 1);
            StoredObject open = store.get(segmentKey(max)).orElse(null);
            boolean full = open != null
                    && lastRecord(segmentKey(max), open.data()).path("seq").asLong() == l.lastSeq(max);
            lastClosed = full ? max : max - 1;
        }
        if (lastClosed < 0 || (lastClosed == 0 && l.base() == 0)) {
            return 0;
        }
        int before = digests.list(DIGESTS).size();
        close(l, lastClosed);
        return digests.list(DIGESTS).size() - before;
    }

    private void close(Layout l, long n) {
        long first = l.base() > 0 ? 0 : 1;
        long from = n;
        while (from > first && digests.get(digestKey(from - 1)).isEmpty()) {
            from--;
        }
        for (long s = from; s <= n; s++) {
            if (digests.get(digestKey(s)).isPresent()) {
                continue;
            }
            String prev = s == first ? AuditRecord.GENESIS : digests.get(digestKey(s - 1))
                    .map(o -> digestHash(o.data())).orElseThrow(() -> new StateStoreException(
                            "digest of the previous segment vanished while closing the next"));
            SegmentDigest d = digestOf(l, s, prev);
            if (d == null) {
                return;
            }
            try {
                digests.put(digestKey(s), json(ModelJson.mapper().valueToTree(sign(d))), Precondition.IF_ABSENT);
            } catch (PreconditionFailedException another) {
                // another writer closed it first: its digest stands
            }
        }
    }

    private SegmentDigest sign(SegmentDigest d) {
        if (settings.signer().isEmpty()) {
            return d;
        }
        AuditSigner s = settings.signer().get();
        byte[] sig = s.sign(signedBytes(ModelJson.mapper().valueToTree(d)));
        return d.withSignature(new SegmentDigest.Signature(s.keyId(), s.algorithm(),
                Base64.getEncoder().encodeToString(sig)));
    }

    /** The digest of segment {@code n} as stored now; null when it is not closed (not full). */
    private SegmentDigest digestOf(Layout l, long n, String previousDigestHash) {
        String key = n == 0 ? KEY : segmentKey(n);
        Optional<StoredObject> o = store.get(key);
        if (o.isEmpty()) {
            return null;
        }
        List<String> lines = lines(o.get().data());
        if (lines.isEmpty()) {
            return null;
        }
        AuditRecord first = parse(key, lines, 0);
        AuditRecord last = parse(key, lines, lines.size() - 1);
        if (last.seq() != l.lastSeq(n)) {
            return null;
        }
        return new SegmentDigest(SegmentDigest.FORMAT, n, first.seq(), last.seq(), lines.size(), first.time(),
                last.time(), first.prevHash(), last.hash(), previousDigestHash, null);
    }

    /** Jittered back-off after a lost race, so a crowd of appenders does not retry in lockstep. */
    private static void backOff(int attempt) {
        if (attempt < 2) {
            return;
        }
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Math.min(50, attempt) + 1L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateStoreException("interrupted while appending to the audit chain", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** Whether any trail is stored (a single-file trail, a head, segments or digests). */
    public boolean exists() {
        return store.get(KEY).isPresent() || store.get(HEAD).isPresent() || !store.list(SEGMENTS).isEmpty()
                || !digests.list(DIGESTS).isEmpty();
    }

    /** All records, in chain order. A line that does not parse is a {@link StateStoreException} naming it. */
    public List<AuditRecord> read() {
        List<AuditRecord> out = new ArrayList<>();
        forEach(Scope.ALL, out::add);
        return out;
    }

    /**
     * Streams the records of {@code scope} in chain order, one segment in memory at a time; closed segments whose
     * digest puts them wholly outside the time range are not read.
     */
    public void forEach(Scope scope, Consumer<AuditRecord> sink) {
        Map<Long, SegmentDigest> ds = readDigests();
        List<Long> numbers = new ArrayList<>();
        if (store.get(KEY).isPresent()) {
            numbers.add(0L);
        }
        numbers.addAll(numbers(store.list(SEGMENTS), SEGMENTS, ".jsonl"));
        for (long n : numbers) {
            if (scope.segment().isPresent() && scope.segment().getAsLong() != n) {
                continue;
            }
            SegmentDigest d = ds.get(n);
            if (d != null && !scope.overlaps(d.firstTime(), d.lastTime())) {
                continue;
            }
            String key = n == 0 ? KEY : segmentKey(n);
            Optional<StoredObject> o = store.get(key);
            if (o.isEmpty()) {
                continue;
            }
            List<String> lines = lines(o.get().data());
            for (int i = 0; i < lines.size(); i++) {
                AuditRecord r = parse(key, lines, i);
                if (scope.overlaps(r.time(), r.time())) {
                    sink.accept(r);
                }
            }
        }
    }

    private AuditRecord parse(String key, List<String> lines, int i) {
        try {
            return ModelJson.mapper().readValue(lines.get(i), AuditRecord.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StateStoreException(store.describe() + "/" + key + ": line " + (i + 1)
                    + " is not an audit record", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- verifying

    /** Verifies the whole trail without a trusted key (digests' signatures are not checked). */
    public AuditVerification verify() {
        return verify(Scope.ALL, Optional.empty());
    }

    /**
     * Verifies the records of {@code scope}, their link to the chain before them, the segments' digests, and, with a
     * trusted key, every digest's signature and key. Each problem found is named; checking goes on after one.
     */
    public AuditVerification verify(Scope scope, Optional<TrustedKey> trusted) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<StoredObject> legacy = store.get(KEY);
        Optional<StoredObject> head = store.get(HEAD);
        List<Long> segs = numbers(store.list(SEGMENTS), SEGMENTS, ".jsonl");
        Map<Long, SegmentDigest> ds = readDigests();
        if (legacy.isEmpty() && head.isEmpty() && segs.isEmpty() && ds.isEmpty()) {
            return new AuditVerification(AuditVerification.Status.NO_TRAIL, 0, 0, 0, problems, notes);
        }
        Layout l = head.map(h -> {
            JsonNode j = parseHead(h);
            return new Layout(j.path("segmentRecords").asInt(), j.path("base").asLong(), j.path("baseHash").asText());
        }).orElse(new Layout(settings.segmentRecords(), 0, AuditRecord.GENESIS));
        long hint = head.map(h -> parseHead(h).path("segment").asLong(1)).orElse(0L);
        long max = Math.max(hint, segs.isEmpty() ? 0 : segs.get(segs.size() - 1));
        if (!ds.isEmpty()) {
            max = Math.max(max, ((TreeMap<Long, SegmentDigest>) ds).lastKey());
        }
        long records = 0;
        int segments = 0;
        String carry = AuditRecord.GENESIS;

        // Segment 0: the single-file trail of earlier versions.
        if (legacy.isPresent()) {
            Check c = check(0, KEY, lines(legacy.get().data()), 1, AuditRecord.GENESIS, problems);
            if (head.isPresent() && (c.count() != l.base() || !c.lastHash().equals(l.baseHash()))) {
                problems.add(new Problem(Kind.LEGACY_CHANGED, 0, OptionalLong.of(l.base() + 1), KEY + " holds "
                        + c.count() + " records but the trail moved to segments after " + l.base()
                        + (c.count() > l.base() ? " (a writer of an earlier version appended to it)"
                                : " (records were removed or the chain was recomputed)")));
            }
            compareDigest(0, c, ds.get(0L), problems);
            if (scopeHas(scope, 0, c)) {
                records += c.count();
                segments++;
            }
            carry = head.isPresent() ? l.baseHash() : c.lastHash();
        } else if (l.base() > 0) {
            problems.add(new Problem(Kind.MISSING_SEGMENT, 0, OptionalLong.of(1), KEY + " (segment 0, seq 1.."
                    + l.base() + ") is missing"));
            carry = l.baseHash();
        }

        for (long n = 1; n <= max; n++) {
            SegmentDigest d = ds.get(n);
            boolean selected = scope.segment().isPresent() ? scope.segment().getAsLong() == n
                    : d == null || scope.overlaps(d.firstTime(), d.lastTime());
            if (!segs.contains(n)) {
                problems.add(new Problem(Kind.MISSING_SEGMENT, n, OptionalLong.of(l.firstSeq(n)), "segment " + n
                        + " (" + segmentKey(n) + ", seq " + l.firstSeq(n) + ".." + l.lastSeq(n) + ") is missing"
                        + (d != null ? " though its digest exists" : "")));
                carry = d != null ? d.lastHash() : null;
                continue;
            }
            if (!selected && d != null) {
                carry = d.lastHash(); // the digest vouches for the link; the segment is outside the scope
                continue;
            }
            Optional<StoredObject> o = store.get(segmentKey(n));
            if (o.isEmpty()) {
                problems.add(new Problem(Kind.MISSING_SEGMENT, n, OptionalLong.of(l.firstSeq(n)), "segment " + n
                        + " vanished while verifying"));
                continue;
            }
            List<Problem> found = new ArrayList<>();
            Check c = check(n, segmentKey(n), lines(o.get().data()), l.firstSeq(n), carry, found);
            if (!selected || !scopeHas(scope, n, c)) {
                carry = c.lastHash();
                continue;
            }
            problems.addAll(found);
            records += c.count();
            segments++;
            if (d != null) {
                compareDigest(n, c, d, problems);
            } else if (c.lastSeq() == l.lastSeq(n) || n < max) {
                notes.add("segment " + n + " is closed but has no digest yet (the next writer to close a segment"
                        + " writes it)");
            } else {
                notes.add("segment " + n + " is open: its " + c.count()
                        + " records are not yet covered by a signed digest");
            }
            carry = c.lastHash();
        }
        int signed = checkDigests(l, ds, trusted, problems, notes);
        return new AuditVerification(problems.isEmpty() ? AuditVerification.Status.INTACT
                : AuditVerification.Status.BROKEN, records, segments, signed, problems, notes);
    }

    private static boolean scopeHas(Scope scope, long n, Check c) {
        if (scope.segment().isPresent()) {
            return scope.segment().getAsLong() == n;
        }
        return c.count() == 0 || scope.overlaps(c.firstTime(), c.lastTime());
    }

    private record Check(long count, long lastSeq, String lastHash, Instant firstTime, Instant lastTime) {
    }

    /** Checks one segment's lines; the first bad record is added to {@code problems}. */
    private Check check(long segment, String key, List<String> lines, long firstSeq, String expectedPrev,
            List<Problem> problems) {
        String prevHash = expectedPrev;
        long expectedSeq = firstSeq;
        String lastHash = expectedPrev == null ? AuditRecord.GENESIS : expectedPrev;
        long lastSeq = firstSeq - 1;
        Instant firstTime = null;
        Instant lastTime = null;
        boolean broken = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            JsonNode n;
            try {
                n = ModelJson.mapper().readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                n = null;
            }
            if (!(n instanceof ObjectNode node) || !node.path("seq").canConvertToLong()
                    || !node.path("hash").isTextual()) {
                if (!broken) {
                    problems.add(problem(segment, key, expectedSeq, lineNo, "line " + lineNo
                            + " is not an audit record (truncated or edited)"));
                }
                broken = true;
                expectedSeq++;
                continue;
            }
            long seq = node.get("seq").asLong();
            String stored = node.get("hash").asText();
            Instant t = time(node);
            firstTime = firstTime == null ? t : firstTime;
            lastTime = t != null ? t : lastTime;
            if (!broken) {
                String reason = null;
                if (seq != expectedSeq) {
                    reason = "seq " + seq + " where " + expectedSeq
                            + " was expected (a record was deleted, inserted or moved)";
                } else if (prevHash != null && !prevHash.equals(node.path("prevHash").asText())) {
                    reason = "prevHash does not match the hash of record " + (seq - 1);
                } else {
                    ObjectNode unsigned = node.deepCopy();
                    unsigned.remove("hash");
                    if (!stored.equals(hashOf(unsigned))) {
                        reason = "hash does not match the record's content (the record was edited)";
                    }
                }
                if (reason != null) {
                    problems.add(problem(segment, key, seq, lineNo, reason));
                    broken = true;
                }
            }
            prevHash = stored;
            lastHash = stored;
            lastSeq = seq;
            expectedSeq++;
        }
        return new Check(lines.size(), lastSeq, lastHash, firstTime, lastTime);
    }

    private static Instant time(ObjectNode node) {
        try {
            return Instant.parse(node.path("time").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Problem problem(long segment, String key, long seq, int line, String reason) {
        return new Problem(Kind.EDITED_RECORD, segment, OptionalLong.of(seq), "record seq " + seq + " (line " + line
                + " of " + key + "): " + reason);
    }

    private static void compareDigest(long n, Check c, SegmentDigest d, List<Problem> problems) {
        if (d == null) {
            return;
        }
        if (c.count() < d.records()) {
            problems.add(new Problem(Kind.DROPPED_TAIL, n, OptionalLong.of(c.lastSeq() + 1), "segment " + n
                    + " ends at seq " + c.lastSeq() + " but its digest counts " + d.records() + " records to seq "
                    + d.lastSeq() + ": " + (d.lastSeq() - c.lastSeq()) + " records were dropped from its end"));
        } else if (c.count() > d.records()) {
            problems.add(new Problem(Kind.EDITED_RECORD, n, OptionalLong.of(d.lastSeq() + 1), "segment " + n
                    + " holds " + c.count() + " records but its digest counts " + d.records()
                    + ": records were added to a closed segment"));
        } else if (!c.lastHash().equals(d.lastHash())) {
            problems.add(new Problem(Kind.RECOMPUTED_CHAIN, n, OptionalLong.of(c.lastSeq()), "segment " + n
                    + "'s last hash differs from the one its digest signed: the chain was recomputed"));
        }
    }

    private int checkDigests(Layout l, Map<Long, SegmentDigest> ds, Optional<TrustedKey> trusted,
            List<Problem> problems, List<String> notes) {
        int signed = 0;
        int unsigned = 0;
        long first = l.base() > 0 ? 0 : 1;
        String prev = AuditRecord.GENESIS;
        long expected = first;
        for (var e : ds.entrySet()) {
            long n = e.getKey();
            SegmentDigest d = e.getValue();
            if (n != expected) {
                problems.add(new Problem(Kind.BROKEN_DIGEST_CHAIN, expected, OptionalLong.empty(), "the digest of"
                        + " segment " + expected + (n - 1 > expected ? ".." + (n - 1) : "") + " is missing while"
                        + " the digest of segment " + n + " exists"));
            } else if (!prev.equals(d.previousDigestHash())) {
                problems.add(new Problem(Kind.BROKEN_DIGEST_CHAIN, n, OptionalLong.empty(), "the digest of segment "
                        + n + " does not name the previous digest's hash (a digest was replaced)"));
            }
            SegmentDigest.Signature s = d.signature();
            if (s == null || s.value() == null) {
                unsigned++;
            } else if (trusted.isPresent()) {
                if (!trusted.get().keyId().equals(s.keyId())) {
                    problems.add(new Problem(Kind.FOREIGN_KEY, n, OptionalLong.empty(), "the digest of segment " + n
                            + " is signed by key " + s.keyId() + ", not the trusted key " + trusted.get().keyId()));
                } else if (!verifies(d, trusted.get())) {
                    problems.add(new Problem(Kind.BAD_SIGNATURE, n, OptionalLong.empty(), "the digest of segment "
                            + n + " has a signature that does not verify under " + s.keyId()));
                } else {
                    signed++;
                }
            }
            prev = digestHash(d);
            expected = n + 1;
        }
        if (unsigned > 0) {
            notes.add(unsigned + " digests are unsigned (no signing key was configured when they were written)");
        }
        if (trusted.isEmpty() && unsigned < ds.size()) {
            notes.add("digest signatures were not checked: no trusted key given (--key)");
        }
        return signed;
    }

    private static boolean verifies(SegmentDigest d, TrustedKey key) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(d.signature().value());
        } catch (IllegalArgumentException e) {
            return false;
        }
        ObjectNode unsigned = ModelJson.mapper().valueToTree(d);
        return SignatureAlgorithms.verify(d.signature().algorithm(), key.publicKey(), signedBytes(unsigned), sig);
    }

    /** Digests by segment, sorted; an unreadable digest is an error naming it. */
    Map<Long, SegmentDigest> readDigests() {
        TreeMap<Long, SegmentDigest> out = new TreeMap<>();
        for (long n : numbers(digests.list(DIGESTS), DIGESTS, ".json")) {
            Optional<StoredObject> o = digests.get(digestKey(n));
            if (o.isPresent()) {
                try {
                    out.put(n, ModelJson.mapper().readValue(o.get().data(), SegmentDigest.class));
                } catch (IOException e) {
                    throw new StateStoreException(digests.describe() + "/" + digestKey(n)
                            + ": not a segment digest (" + e.getMessage() + ")", e);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    public static String segmentKey(long n) {
        return SEGMENTS + String.format(Locale.ROOT, "%012d.jsonl", n);
    }

    public static String digestKey(long n) {
        return DIGESTS + String.format(Locale.ROOT, "%012d.json", n);
    }

    private static List<Long> numbers(List<String> keys, String prefix, String suffix) {
        List<Long> out = new ArrayList<>();
        for (String k : keys) {
            if (k.startsWith(prefix) && k.endsWith(suffix)) {
                String middle = k.substring(prefix.length(), k.length() - suffix.length());
                if (middle.matches("\\d{1,18}")) {
                    out.add(Long.parseLong(middle));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The bytes a digest's signature covers: its canonical JSON without {@code signature}. */
    static byte[] signedBytes(JsonNode digest) {
        ObjectNode copy = digest.deepCopy();
        copy.remove("signature");
        return canonicalBytes(copy);
    }

    static String digestHash(SegmentDigest d) {
        return Hashing.sha256Hex(canonicalBytes(ModelJson.mapper().valueToTree(d)));
    }

    private String digestHash(byte[] stored) {
        try {
            return digestHash(ModelJson.mapper().readValue(stored, SegmentDigest.class));
        } catch (IOException e) {
            throw new StateStoreException(digests.describe() + "/" + DIGESTS + ": a digest is not readable", e);
        }
    }

    private static byte[] canonicalBytes(JsonNode node) {
        try {
            return ModelJson.mapper().writeValueAsBytes(canonical(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize", e);
        }
    }

    private static byte[] json(JsonNode node) {
        try {
            return ModelJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize", e);
        }
    }

    private static List<String> lines(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    private ObjectNode lastRecord(String key, byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8).stripTrailing();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        try {
            JsonNode n = ModelJson.mapper().readTree(last);
            if (n instanceof ObjectNode o && o.path("seq").canConvertToLong() && o.path("hash").isTextual()) {
                return o;
            }
        } catch (JsonProcessingException e) {
            // fall through: refuse to extend a damaged chain
        }
        throw new StateStoreException(store.describe() + "/" + key
                + ": the last line is not an audit record; refusing to extend a damaged chain (run audit verify)");
    }

    private static byte[] appendLines(byte[] old, List<AuditRecord> records) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(old.length + 512 * records.size());
            out.write(old);
            if (old.length > 0 && old[old.length - 1] != '\n') {
                out.write('\n');
            }
            for (AuditRecord record : records) {
                out.write(ModelJson.mapper().writeValueAsBytes(record));
                out.write('\n');
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new StateStoreException("cannot serialize audit record " + records.get(0).seq(), e);
        }
    }

    private static ObjectNode toTree(AuditRecord unsigned) {
        ObjectNode tree = ModelJson.mapper().valueToTree(unsigned);
        tree.remove("hash");
        return tree;
    }

    /** SHA-256 hex of the canonical JSON (sorted keys, no whitespace) of {@code unsigned}. */
    static String hashOf(JsonNode unsigned) {
        return Hashing.sha256Hex(canonicalBytes(unsigned));
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return node;
    }

    /** A copy of {@code node} with values under secret-looking keys replaced by {@value #REDACTED}. */
    static JsonNode scrub(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), looksSecret(e.getKey()) ? JsonNodeFactory.instance.textNode(REDACTED)
                        : scrub(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(scrub(e)));
            return out;
        }
        return node;
    }

    /** True when {@code key} looks like it names a secret (the markers above); log formatters use the same rule. */
    public static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace("-", "_");
        for (String m : SECRET_MARKERS) {
            if (k.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
