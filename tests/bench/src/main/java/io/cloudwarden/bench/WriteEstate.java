package io.cloudwarden.bench;

import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes a generated estate as two snapshot files for the CLI benchmarks ({@code tests/bench/cli-bench.sh}):
 * {@code <dir>/snapshot-N.json} (seed 42) and {@code <dir>/approved-N.json}, a later view of the same estate
 * with 5 % of the resources changed and 1 % replaced (the drift baseline). Deterministic for a size.
 *
 * <p>{@code java -cp tests/bench/target/benchmarks.jar io.cloudwarden.bench.WriteEstate 100000 /tmp/estate}
 */
public final class WriteEstate {
    private WriteEstate() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Path.of(args.length > 1 ? args[1] : ".");
        Snapshot observed = EstateGenerator.snapshot(size, 42);
        SnapshotWriter.write(observed, dir.resolve("snapshot-" + size + ".json"));
        Snapshot approved = Snapshot.of(Instant.parse("2026-11-22T10:00:00Z"),
                EstateGenerator.drifted(observed.resources(), 0.05, 0.01, 7), List.of());
        SnapshotWriter.write(approved, dir.resolve("approved-" + size + ".json"));
        System.out.println("wrote " + dir.resolve("snapshot-" + size + ".json") + " and "
                + dir.resolve("approved-" + size + ".json"));
    }
}
