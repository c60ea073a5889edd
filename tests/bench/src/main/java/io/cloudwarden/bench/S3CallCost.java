package io.cloudwarden.bench;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.aws.session.AwsSession;
import io.cloudwarden.provider.aws.storage.bucket.BucketCollector;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU and allocation of one S3 call on the scan's path, far less noisy than the end-to-end wall: the project's own
 * S3 set-up ({@link AwsSession}: its HTTP client, retry strategy, call metrics, endpoint override) and collector
 * ({@link BucketCollector}: ListBuckets, then the seven or eight configuration reads per bucket, as many buckets in
 * flight as the S3 read quota allows, on the collectors' shared pool) read the estate of a running
 * {@code WireEstateServer} (another JVM, so only the client's CPU is counted) in rounds of one whole collection.
 * After {@code WARMUP} rounds (C1 compiles the path), each of {@code ROUNDS} rounds prints the JVM's process CPU
 * (every thread: readers, the feeding thread, C1's compiler thread, GC) and the bytes allocated by the JVM's threads,
 * per call as the server counted them, and a digest of the items read (identical between builds that read the same).
 *
 * <p>Optional {@code VARIANT}s ({@code NAME} or {@code NAME:key=value,key=value}) read the estate with one session
 * each, in turn, round after round, with the given system properties set while that session's rounds run (so its
 * lazily built clients see them): variants of one build compared in one JVM, under the same load from second to
 * second, which on a shared machine is a far steadier comparison than separate JVMs; a key {@code setting.NAME} sets
 * the session setting {@code NAME} instead (e.g. {@code q8:setting.maxConcurrency=8}).
 *
 * <p>Run it with the launcher's JIT flags against a build's jar (docs/PERFORMANCE.md, "CPU per S3 call"):
 * <pre>
 * java -Xmx512m -Dsun.net.httpserver.nodelay=true -cp tests/bench/target/benchmarks.jar \
 *   io.cloudwarden.bench.e2e.WireEstateServer 2000 &amp;          # prints "listening http://127.0.0.1:PORT"
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Xmn32m \
 *   -cp functions/local/target/cloudwarden.jar:tests/bench/target/classes \
 *   io.cloudwarden.bench.S3CallCost http://127.0.0.1:PORT [WARMUP] [ROUNDS]
 * </pre>
 * {@code tests/bench/s3callcost.sh} runs that for several builds, interleaved.
 *
 * <p>Allocation is the sum of {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])} over the live
 * threads (a thread that ends within a round would be missed; the pool's threads live a minute idle).
 */
public final class S3CallCost {
    private S3CallCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException(
                    "usage: S3CallCost ENDPOINT_URL [WARMUP_ROUNDS] [ROUNDS] [VARIANT ...] (VARIANT: NAME or NAME:k=v,k=v)");
        }
        URI endpoint = URI.create(args[0]);
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> specs = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("this-build");
        String account = "111122223333";
        Map<String, String> baseSettings = new HashMap<>(Map.of("accessKeyId", "AKIDBENCH",
                "secretAccessKey", "bench-secret"));
        // -Dcallcost.setting.NAME=VALUE: a session setting for every variant of this JVM (e.g. httpClient=apache, for
        // builds compared in separate JVMs by tests/bench/s3callcost.sh)
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("callcost.setting."))
                .forEach(k -> baseSettings.put(k.substring("callcost.setting.".length()), System.getProperty(k)));
        ProviderConfig config = new ProviderConfig(Cloud.AWS, Optional.of(endpoint), List.of(account),
                List.of("us-east-1"), Map.copyOf(baseSettings));
        Shard shard = new Shard(Cloud.AWS, account, Shard.GLOBAL, "storage.bucket");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HttpClient http = HttpClient.newHttpClient();
        BucketCollector collector = new BucketCollector();
        // One session per variant, its clients built (lazily, by its first round) while its system properties are set.
        List<String> names = new ArrayList<>();
        List<Map<String, String>> properties = new ArrayList<>();
        List<AwsSession> sessions = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            names.add(colon < 0 ? spec : spec.substring(0, colon));
            Map<String, String> props = new HashMap<>();
            if (colon >= 0) {
                for (String kv : spec.substring(colon + 1).split(",")) {
                    int eq = kv.indexOf('=');
                    props.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "true" : kv.substring(eq + 1));
                }
            }
            // "setting.NAME=VALUE": a session setting (e.g. setting.maxConcurrency=8) instead of a system property
            Map<String, String> settings = new HashMap<>(config.settings());
            props.keySet().removeIf(k -> {
                if (k.startsWith("setting.")) {
                    settings.put(k.substring("setting.".length()), props.get(k));
                    return true;
                }
                return false;
            });
            properties.add(props);
            long buildCpu = os.getProcessCpuTime();
            long buildWall = System.nanoTime();
            sessions.add(new AwsSession(new ProviderConfig(config.cloud(), config.endpoint(), config.accounts(),
                    config.regions(), settings)));
            // The session builds its HTTP client at once: class loading, a pool.
            System.out.printf("%s start: session built in %.0f ms CPU (%.0f ms wall)%n", names.get(names.size() - 1),
                    (os.getProcessCpuTime() - buildCpu) / 1e6, (System.nanoTime() - buildWall) / 1e6);
        }
        Map<String, List<double[]>> measured = new HashMap<>();
        try {
            for (int r = 1; r <= warmup + rounds; r++) {
                for (int v = 0; v < sessions.size(); v++) {
                    properties.get(v).forEach(System::setProperty);
                    http.send(HttpRequest.newBuilder(endpoint.resolve("/__bench/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    int[] items = {0};
                    Map<Long, Long> allocBefore = allocated(threads);
                    long cpu = os.getProcessCpuTime();
                    long wall = System.nanoTime();
                    collector.collect(sessions.get(v), shard, item -> {
                        items[0]++;
                        digest.update(digestText(item).getBytes(StandardCharsets.UTF_8));
                    });
                    long wallNs = System.nanoTime() - wall;
                    long cpuNs = os.getProcessCpuTime() - cpu;
                    long alloc = allocatedSince(threads, allocBefore);
                    properties.get(v).keySet().forEach(System::clearProperty);
                    String calls = http.send(HttpRequest.newBuilder(endpoint.resolve("/__bench/calls")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    long total = calls.lines().filter(l -> l.startsWith("total ")).mapToLong(l -> Long.parseLong(
                            l.substring("total ".length()).trim())).findFirst().orElseThrow();
                    boolean warm = r <= warmup;
                    System.out.printf("%s %s %d: %d buckets, %d calls, wall %.2f s, CPU %.0f ms = %.3f ms/call, "
                                    + "alloc %.1f KiB/call, items %s%n", names.get(v), warm ? "warm-up" : "round",
                            warm ? r : r - warmup, items[0], total, wallNs / 1e9, cpuNs / 1e6, cpuNs / 1e6 / total,
                            alloc / 1024.0 / total, HexFormat.of().formatHex(digest.digest(), 0, 6));
                    if (r == 1) {
                        // the first round of a fresh JVM: what a short-lived CLI scan pays
                        System.out.printf("%s cold: process CPU since JVM start %.0f ms after the first round "
                                        + "(JVM up %.0f ms)%n", names.get(v), os.getProcessCpuTime() / 1e6,
                                (double) ManagementFactory.getRuntimeMXBean().getUptime());
                    }
                    if (!warm) {
                        measured.computeIfAbsent(names.get(v), k -> new ArrayList<>())
                                .add(new double[] {cpuNs / 1e6 / total, alloc / 1024.0 / total});
                    }
                }
            }
            for (int v = 0; v < sessions.size(); v++) {
                long clientCalls = sessions.get(v).callStatistics().stream().mapToLong(ApiCalls::calls).sum();
                System.out.printf("%s: client-counted calls over all rounds: %d%n", names.get(v), clientCalls);
            }
        } finally {
            sessions.forEach(AwsSession::close);
        }
        for (String name : names) {
            double[] cpu = measured.get(name).stream().mapToDouble(m -> m[0]).sorted().toArray();
            double[] alloc = measured.get(name).stream().mapToDouble(m -> m[1]).sorted().toArray();
            System.out.printf("%s: CPU ms/call min %.3f median %.3f; alloc KiB/call min %.1f median %.1f (%d rounds)%n",
                    name, cpu[0], median(cpu), alloc[0], median(alloc), cpu.length);
        }
        // Rounds of the variants ran one after another: each round of a variant against the first variant's round
        // just before it, a ratio under nearly the same load.
        for (int v = 1; v < names.size(); v++) {
            List<double[]> first = measured.get(names.get(0));
            List<double[]> other = measured.get(names.get(v));
            double[] ratios = new double[first.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = other.get(i)[0] / first.get(i)[0];
            }
            java.util.Arrays.sort(ratios);
            System.out.printf("%s / %s, CPU per call, paired rounds: median %.3f (min %.3f, max %.3f, %d pairs)%n",
                    names.get(v), names.get(0), median(ratios), ratios[0], ratios[ratios.length - 1], ratios.length);
        }
    }

    private static String digestText(NativeItem item) {
        return item.id() + '|' + item.region() + '|' + item.json() + '\n';
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Map<Long, Long> allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    private static long allocatedSince(com.sun.management.ThreadMXBean threads, Map<Long, Long> before) {
        long sum = 0;
        for (var e : allocated(threads).entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }
}
