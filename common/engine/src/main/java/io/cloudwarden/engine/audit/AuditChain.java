package io.cloudwarden.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The tamper-evident audit trail: JSON Lines at {@code audit.jsonl} in a {@link StateStore} (locally
 * {@code <state-dir>/audit.jsonl}), one {@link AuditRecord} per line.
 *
 * <p><b>Chaining.</b> {@code seq} starts at 1 and grows by one; {@code prevHash} is the predecessor's {@code hash}
 * ({@link AuditRecord#GENESIS} for the first); {@code hash} = SHA-256 hex of the record's <em>canonical JSON
 * without its {@code hash} field</em>. Canonical JSON here = the model's JSON of the record, object keys sorted
 * lexicographically at every level, no insignificant whitespace, UTF-8. Editing, deleting, inserting or
 * reordering any record breaks the chain at that record, which {@link #verify()} names. (Dropping records from the
 * end cannot be seen from the file alone; anchor the last hash elsewhere if that matters.)
 *
 * <p><b>Concurrency.</b> Appends are compare-and-swap loops: read the file and its version, append one line, write
 * with IF_MATCH (IF_ABSENT for the first record), and on a lost race re-read and retry. Concurrent appenders,
 * threads or processes, therefore never fork the chain nor lose a record, on any store with conditional writes.
 * Object stores have no append, so each append rewrites the whole object: cost grows with the trail's size, which
 * is fine for the volumes of an audit trail (thousands of records) and keeps every store implementation simple.
 *
 * <p><b>Secrets.</b> Before hashing, {@code details} are scrubbed: values under keys that look secret (secret,
 * token, password, signature, authorization, credential, private key, key material, api key, cookie) are replaced by
 * {@code "[redacted]"}, recursively.
 */
public final class AuditChain {
    public static final String KEY = "audit.jsonl";
    static final String REDACTED = "[redacted]";
    private static final int MAX_ATTEMPTS = 10_000;
    private static final List<String> SECRET_MARKERS = List.of("secret", "token", "password", "passwd",
            "signature", "authorization", "credential", "privatekey", "private_key", "keymaterial", "key_material",
            "apikey", "api_key", "cookie");

    private final StateStore store;
    private final Clock clock;

    public AuditChain(StateStore store) {
        this(store, Clock.systemUTC());
    }

    public AuditChain(StateStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The outcome of {@link #verify()}. {@code records}: how many records verified (all of them when intact, else
     * those before the break); {@code firstBrokenSeq}: the seq of the first bad record (the seq expected at that
     * position when the line cannot be parsed); {@code line}: its 1-based line number (0 when intact);
     * {@code reason}: what did not match ("" when intact).
     */
    public record Verification(boolean intact, int records, OptionalLong firstBrokenSeq, int line, String reason) {
        static Verification ok(int records) {
            return new Verification(true, records, OptionalLong.empty(), 0, "");
        }
    }

    public AuditRecord append(Actor actor, String action, String subject, String outcome, JsonNode details) {
        Objects.requireNonNull(action, "action");
        JsonNode scrubbed = scrub(details == null ? JsonNodeFactory.instance.objectNode() : details);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<StoredObject> current = store.get(KEY);
            byte[] old = current.map(StoredObject::data).orElse(new byte[0]);
            Optional<ObjectNode> last = lastRecord(old);
            long seq = last.map(n -> n.path("seq").asLong() + 1).orElse(1L);
            String prev = last.map(n -> n.path("hash").asText()).orElse(AuditRecord.GENESIS);
            AuditRecord unsigned = new AuditRecord(seq, clock.instant(), actor, action, subject, outcome, scrubbed,
                    prev, "");
            AuditRecord record = new AuditRecord(seq, unsigned.time(), unsigned.actor(), action, unsigned.subject(),
                    unsigned.outcome(), scrubbed, prev, hashOf(toTree(unsigned)));
            byte[] updated = appendLine(old, record);
            Precondition pre = current.map(o -> Precondition.ifMatch(o.version())).orElse(Precondition.IF_ABSENT);
            try {
                store.put(KEY, updated, pre);
                return record;
            } catch (PreconditionFailedException raced) {
                backOff(attempt);
            }
        }
        throw new StateStoreException(store.describe() + "/" + KEY + ": could not append after " + MAX_ATTEMPTS
                + " attempts (too many concurrent writers)");
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

    /** All records, in file order. A line that does not parse is a {@link StateStoreException} naming the line. */
    public List<AuditRecord> read() {
        List<AuditRecord> out = new ArrayList<>();
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            try {
                out.add(ModelJson.mapper().readValue(lines.get(i), AuditRecord.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new StateStoreException(store.describe() + "/" + KEY + ": line " + (i + 1)
                        + " is not an audit record", e);
            }
        }
        return out;
    }

    public Verification verify() {
        List<String> lines = lines();
        String prevHash = AuditRecord.GENESIS;
        long expectedSeq = 1;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            ObjectNode node;
            try {
                JsonNode n = ModelJson.mapper().readTree(lines.get(i));
                if (!(n instanceof ObjectNode o) || !o.path("seq").canConvertToLong() || !o.path("hash").isTextual()) {
                    return broken(expectedSeq, lineNo, "line " + lineNo + " is not an audit record");
                }
                node = o;
            } catch (JsonProcessingException e) {
                return broken(expectedSeq, lineNo, "line " + lineNo + " is not valid JSON (truncated or edited)");
            }
            long seq = node.get("seq").asLong();
            if (seq != expectedSeq) {
                return broken(seq, lineNo, "seq " + seq + " where " + expectedSeq
                        + " was expected (a record was deleted, inserted or moved)");
            }
            if (!prevHash.equals(node.path("prevHash").asText())) {
                return broken(seq, lineNo, "prevHash does not match the hash of record " + (seq - 1));
            }
            String stored = node.get("hash").asText();
            ObjectNode unsigned = node.deepCopy();
            unsigned.remove("hash");
            if (!stored.equals(hashOf(unsigned))) {
                return broken(seq, lineNo, "hash does not match the record's content (the record was edited)");
            }
            prevHash = stored;
            expectedSeq++;
        }
        return Verification.ok(lines.size());
    }

    private static Verification broken(long seq, int line, String reason) {
        return new Verification(false, line - 1, OptionalLong.of(seq), line, reason);
    }

    private List<String> lines() {
        Optional<StoredObject> o = store.get(KEY);
        if (o.isEmpty()) {
            return List.of();
        }
        String text = new String(o.get().data(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    private Optional<ObjectNode> lastRecord(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8).stripTrailing();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String last = text.substring(text.lastIndexOf('\n') + 1);
        try {
            JsonNode n = ModelJson.mapper().readTree(last);
            if (n instanceof ObjectNode o && o.path("seq").canConvertToLong() && o.path("hash").isTextual()) {
                return Optional.of(o);
            }
        } catch (JsonProcessingException e) {
            // fall through: refuse to extend a damaged chain
        }
        throw new StateStoreException(store.describe() + "/" + KEY
                + ": the last line is not an audit record; refusing to extend a damaged chain (run audit verify)");
    }

    private static byte[] appendLine(byte[] old, AuditRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(old.length + 512);
            out.write(old);
            if (old.length > 0 && old[old.length - 1] != '\n') {
                out.write('\n');
            }
            out.write(ModelJson.mapper().writeValueAsBytes(record));
            out.write('\n');
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new StateStoreException("cannot serialize audit record " + record.seq(), e);
        }
    }

    private static ObjectNode toTree(AuditRecord unsigned) {
        ObjectNode tree = ModelJson.mapper().valueToTree(unsigned);
        tree.remove("hash");
        return tree;
    }

    /** SHA-256 hex of the canonical JSON (sorted keys, no whitespace) of {@code unsigned}. */
    static String hashOf(JsonNode unsigned) {
        try {
            return Hashing.sha256Hex(ModelJson.mapper().writeValueAsBytes(canonical(unsigned)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize audit record", e);
        }
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

    static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace("-", "_");
        for (String m : SECRET_MARKERS) {
            if (k.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
