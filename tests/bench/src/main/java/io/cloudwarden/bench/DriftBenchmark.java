package io.cloudwarden.bench;

import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Drift engine throughput, single-threaded: one op = one full comparison; the score divided into
 * {@code size} gives resources/s per core (reported by {@code BenchReport}). 5 % of resources changed, 1 % churned.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class DriftBenchmark {
    @Param({"10000", "100000"})
    public int size;

    private List<Resource> baseline;
    private Snapshot observed;
    private Snapshot older;
    private final DriftEngine engine = new DriftEngine();

    @Setup(Level.Trial)
    public void setUp() {
        baseline = EstateGenerator.generate(size, 42);
        observed = Snapshot.of(Instant.parse("2026-11-23T11:00:00Z"),
                EstateGenerator.drifted(baseline, 0.05, 0.01, 7), List.of());
        older = Snapshot.of(Instant.parse("2026-11-23T10:00:00Z"), baseline, List.of());
    }

    @Benchmark
    public DriftReport againstBaseline() {
        return engine.compareToBaseline(baseline, observed, IgnoreRules.none(), List.of());
    }

    @Benchmark
    public DriftReport snapshotToSnapshot() {
        return engine.compareSnapshots(older, observed, IgnoreRules.none(), java.util.Map.of());
    }
}
