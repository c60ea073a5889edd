package io.cloudwarden.bench;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.state.FileSystemStateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU a scan's writes cost in the directory state store: puts the large documents of a scan's state directory
 * (the finding history, the latest findings, the snapshot twice: latest and dated) into a new store, as the scan
 * does, and prints the writing thread's CPU per round (docs/PERFORMANCE.md, "2,000-bucket CPU, third pass"). Run it
 * with the launcher's JIT flags, against a build's jar, so builds can be compared:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m \
 *   -cp functions/local/target/cloudwarden.jar:tests/bench/target/classes io.cloudwarden.bench.StatePutCost STATE_DIR [ROUNDS]
 * </pre>
 *
 * Round 1 is what a scan pays (a fresh JVM, the write path not compiled yet); later rounds show the compiled cost.
 */
public final class StatePutCost {
    private StatePutCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: StatePutCost STATE_DIR [ROUNDS] (STATE_DIR: a scan's --state-dir)");
        }
        Path state = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> keys = List.of("findings/history.json", "findings/latest.json", "snapshots/latest.json",
                "snapshots/latest.json");
        List<byte[]> data = new ArrayList<>();
        long bytes = 0;
        for (String key : keys) {
            Path file = state.resolve(key);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": expected a scan's state directory (no " + key + ")");
            }
            data.add(Files.readAllBytes(file));
            bytes += data.get(data.size() - 1).length;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("cloudwarden-put-cost");
        FileSystemStateStore store = new FileSystemStateStore(dir);
        for (int r = 1; r <= rounds; r++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < keys.size(); i++) {
                store.put("round-" + r + "/" + keys.get(i).replace("latest", i == 3 ? "dated" : "latest"), data.get(i),
                        Precondition.NONE);
            }
            System.out.printf("round %d: 4 puts, %.1f MB: thread CPU %d ms, wall %d ms%n", r, bytes / 1e6,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000, (System.nanoTime() - wall) / 1_000_000);
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
