package io.cloudwarden.bench;

import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the heap a snapshot of N generated resources holds after a full GC. Run it under the limit to prove the
 * goal: {@code java -Xmx512m -cp tests/bench/target/benchmarks.jar io.cloudwarden.bench.HeapFootprint 100000}
 * (an OutOfMemoryError means the goal is missed). Also serializes the snapshot once, as a scan would.
 */
public final class HeapFootprint {
    private HeapFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long before = settledUsed(mem);
        Snapshot snapshot = EstateGenerator.snapshot(size, 42);
        long after = settledUsed(mem);
        byte[] json = ModelJson.mapper().writeValueAsBytes(snapshot);
        long held = after - before;
        System.out.printf("resources=%d heldHeapMiB=%.1f bytesPerResource=%d snapshotJsonMiB=%.1f maxHeapMiB=%d%n",
                snapshot.resources().size(), held / 1048576.0, held / size, json.length / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576);
    }

    private static long settledUsed(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
