package io.cloudwarden.bench;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.state.FileSystemStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * The durable writes of one event on the directory store, made one after another ({@code put} by {@code put}) and as
 * one write group ({@code StateStore.group}): an update (new key, 3,746 B), a plan (new key, 1,296 B), the open audit
 * segment rewritten (if-match, 18,301 B) and the idempotency claim (new key, 380 B), the sizes
 * {@code EventLatencyBenchmark} measures. The two ways alternate in one process, so machine load hits both alike. Not
 * a unit test: it prints figures.
 *
 * <p>Usage: {@code java -cp <cloudwarden.jar>:tests/bench/target/classes io.cloudwarden.bench.WriteGroupBenchmark
 * [events=200] [rounds=3] [dir=a new temp directory]}
 */
public final class WriteGroupBenchmark {
    private static final int[] SIZES = {3_746, 1_296, 18_301, 380};

    private WriteGroupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path base = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("cw-write-group");
        byte[][] data = new byte[SIZES.length][];
        Random random = new Random(18);
        for (int i = 0; i < SIZES.length; i++) {
            data[i] = new byte[SIZES[i]];
            random.nextBytes(data[i]);
        }
        for (int round = 1; round <= rounds; round++) {
            for (boolean grouped : new boolean[] {false, true}) {
                StateStore store = new FileSystemStateStore(base.resolve("round-" + round + (grouped ? "-group" : "-puts")));
                long[] nanos = new long[events];
                for (int e = 0; e < events; e++) {
                    int event = e;
                    long t0 = System.nanoTime();
                    if (grouped) {
                        store.group(() -> {
                            writeEvent(store, event, data);
                            return null;
                        });
                    } else {
                        writeEvent(store, event, data);
                    }
                    nanos[e] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                System.out.printf("round %d %-6s %d events: p50 %.2f ms  p90 %.2f  p99 %.2f  max %.2f%n", round,
                        grouped ? "group" : "puts", events, ms(nanos[events / 2]), ms(nanos[events * 9 / 10]),
                        ms(nanos[Math.max(0, events * 99 / 100 - 1)]), ms(nanos[events - 1]));
            }
        }
    }

    /** One event's four writes, in the event path's order; the segment holds 64 events' records, as the trail's. */
    private static void writeEvent(StateStore store, int event, byte[][] data) {
        store.put("snapshots/updates/" + event + ".json", data[0], Precondition.IF_ABSENT);
        store.put("plans/p-" + event + ".json", data[1], Precondition.IF_ABSENT);
        String segment = "audit/segments/" + (event / 64) + ".jsonl";
        Optional<String> open = store.version(segment);
        store.put(segment, data[2], open.map(Precondition::ifMatch).orElse(Precondition.IF_ABSENT));
        store.put("idempotency/" + event + ".json", data[3], Precondition.IF_ABSENT);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
