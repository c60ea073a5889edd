package io.cloudwarden.bench;

import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.policy.PolicyEngine;
import io.cloudwarden.model.Resource;
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

/** The whole built-in rule pack over a generated estate, single-threaded: one op = every rule on every resource. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class PolicyBenchmark {
    @Param({"10000", "100000"})
    public int size;

    private List<Resource> resources;
    private PolicyEngine engine;

    @Setup(Level.Trial)
    public void setUp() {
        resources = EstateGenerator.generate(size, 42);
        engine = PolicyEngine.builtIn();
    }

    @Benchmark
    public Evaluation builtInPack() {
        return engine.evaluateAll(resources);
    }
}
