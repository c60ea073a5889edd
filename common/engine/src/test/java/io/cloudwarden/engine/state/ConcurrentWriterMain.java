package io.cloudwarden.engine.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Actor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A separate writer for the cross-process tests, run as {@code java -cp <test classpath> ...ConcurrentWriterMain
 * <mode> <stateDir> <count> <name> [segmentRecords]}: mode {@code counter} increments {@code counter.txt} with an
 * IF_MATCH retry loop, mode {@code large-counter} the same padded to a large object ({@link #LARGE_COUNTER}); mode {@code audit} appends audit records (segments of {@code segmentRecords}, default 64);
 * mode {@code group} writes, {@code count} times, one write group as the event path does: a new object
 * {@code data/<i>.json}, a line appended to {@code log.txt} (compare-and-swap) and the claim {@code claims/<i>.json},
 * in that order (the crash test kills it while it runs).
 */
public final class ConcurrentWriterMain {
    public static void main(String[] args) {
        StateStore store = new FileSystemStateStore(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        String name = args[3];
        switch (args[0]) {
            case "counter" -> {
                for (int i = 0; i < count; i++) {
                    increment(store, "counter.txt");
                }
            }
            case "large-counter" -> {
                for (int i = 0; i < count; i++) {
                    increment(store, LARGE_COUNTER);
                }
            }
            case "audit" -> {
                int segment = args.length > 4 ? Integer.parseInt(args[4]) : AuditChain.DEFAULT_SEGMENT_RECORDS;
                AuditChain chain = new AuditChain(store, java.time.Clock.systemUTC(),
                        AuditChain.Settings.DEFAULT.withSegmentRecords(segment));
                for (int i = 0; i < count; i++) {
                    chain.append(new Actor("service", name, name, "test"), "test.append", "writer/" + name, "ok",
                            JsonNodeFactory.instance.objectNode().put("i", i));
                }
            }
            case "group" -> {
                for (int i = 0; i < count; i++) {
                    writeGroup(store, name, i);
                }
            }
            default -> throw new IllegalArgumentException("mode: expected counter, audit or group but was " + args[0]);
        }
    }

    /** One event-like write group: its data object, its line in the shared log, then its claim. */
    static void writeGroup(StateStore store, String name, int i) {
        store.group(() -> {
            // padded so an object torn by a crash could not pass for whole
            try {
                store.put("data/" + name + "-" + i + ".json", ("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(4096)
                        + "\"}").getBytes(StandardCharsets.UTF_8), Precondition.IF_ABSENT);
            } catch (PreconditionFailedException sameContent) {
                // written by a run killed before the group's claim: the same bytes, as an event's update
            }
            Optional<StoredObject> log = store.get("log.txt");
            String lines = log.map(o -> new String(o.data(), StandardCharsets.UTF_8)).orElse("");
            store.put("log.txt", (lines + name + "-" + i + "\n").getBytes(StandardCharsets.UTF_8),
                    log.map(o -> Precondition.ifMatch(o.version())).orElse(Precondition.IF_ABSENT));
            store.put("claims/" + name + "-" + i + ".json", "{}".getBytes(StandardCharsets.UTF_8),
                    Precondition.IF_ABSENT);
            return null;
        });
    }

    /** The counter that {@link #increment} pads past the size from which objects get write versions. */
    static final String LARGE_COUNTER = "large-counter.txt";

    /** Read-modify-write with a compare-and-swap retry loop ({@link #LARGE_COUNTER} padded with spaces). */
    static void increment(StateStore store, String key) {
        while (true) {
            Optional<StoredObject> cur = store.get(key);
            int value = cur.map(o -> Integer.parseInt(new String(o.data(), StandardCharsets.UTF_8).trim())).orElse(0);
            String text = Integer.toString(value + 1);
            if (key.equals(LARGE_COUNTER)) {
                text = text + " ".repeat(FileSystemStateStore.RECORDED_VERSION_MIN_BYTES);
            }
            byte[] next = text.getBytes(StandardCharsets.UTF_8);
            try {
                store.put(key, next, cur.map(o -> Precondition.ifMatch(o.version())).orElse(Precondition.IF_ABSENT));
                return;
            } catch (PreconditionFailedException lost) {
                // someone else won; re-read and retry
            }
        }
    }

    private ConcurrentWriterMain() {
    }
}
