package io.cloudwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.bench.e2e.WireEstateServer;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpGateway;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.local.sandbox.SandboxServer;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.CountingStateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One CloudTrail event to a finding through {@code serve}'s in-process gateway ({@code POST /events/aws}, the route
 * {@code cloudwarden serve} exposes), over a 2,000-resource state, with a stand-in cloud on 127.0.0.1 answering the
 * real SDK's re-read. Not a unit test: it prints figures.
 *
 * <p>Two stand-in clouds ({@code --estate}), both in this JVM:
 * <ul>
 *   <li>{@code wire} (the default): {@link WireEstateServer}, generated S3 wire responses from its plain-HTTP front
 *       ({@code LoopbackHttpServer}; the JDK's HTTP server before 2026-12-05's eighth session), which allocates little
 *       per request; the state is a real scan of its {@code resources} buckets and the event
 *       names one of them. What the JVM allocates and collects is then mostly {@code serve}'s own.</li>
 *   <li>{@code sandbox}: the sandbox's recorded AWS endpoint (WireMock and Jetty, which score each request against
 *       every stub mapping and allocate ≈ 3 times what {@code serve} does per event, docs/PERFORMANCE.md); the state
 *       is the sandbox's AWS estate as scanned plus generated copies of one bucket, and the event names
 *       {@code cw-public-assets}. The figures published before 2026-12-05 13:00 UTC are this mode's.</li>
 * </ul>
 *
 * <p>Steps: start the stand-in cloud; seed the state; then post {@code warmup} events (not measured: JIT) and
 * {@code events} measured ones — the recorded {@code DeleteBucketPublicAccessBlock} event, each with a fresh event id.
 * Printed per measured event: p50/p99/max latency, API calls answered by the server (its own count), and state bytes
 * written (every {@code put} to the state store, by key prefix).
 *
 * <p>Usage: {@code java -cp <cloudwarden.jar>:tests/bench/target/classes io.cloudwarden.bench.EventLatencyBenchmark
 * [resources=2000] [events=200] [warmup=20] [--estate wire|sandbox]}
 */
public final class EventLatencyBenchmark {
    private EventLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        String mode = "wire";
        int at = a.indexOf("--estate");
        if (at >= 0) {
            if (at + 1 >= a.size() || !List.of("wire", "sandbox").contains(a.get(at + 1))) {
                System.err.println("--estate: expected wire or sandbox");
                System.exit(2);
            }
            mode = a.get(at + 1);
            a.subList(at, at + 2).clear();
        }
        int resources = a.size() > 0 ? Integer.parseInt(a.get(0)) : 2_000;
        int events = a.size() > 1 ? Integer.parseInt(a.get(1)) : 200;
        int warmup = a.size() > 2 ? Integer.parseInt(a.get(2)) : 20;
        Path work = Files.createTempDirectory("cw-event-bench");
        Estate estate = mode.equals("wire") ? new WireEstate(resources) : new SandboxEstate(work.resolve("sandbox"));
        System.out.println("estate: " + estate.describe());
        try {
            Map<String, String> config = new HashMap<>(estate.config());
            config.put("cloudwarden.clouds", "aws");
            // /events/* runs only under an authentication scheme: the bearer token, as a deployed function has it
            config.put("cloudwarden.http.token", TOKEN);
            CountingStateStore store = new CountingStateStore(new FileSystemStateStore(work.resolve("state")));
            try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(config), ProviderRegistry.discover(), store,
                    Clock.systemUTC())) {
                Functions functions = Functions.inProcess(cw);
                estate.seed(cw, resources);
                System.out.printf("state: %d resources, snapshots/latest.json %d bytes%n",
                        cw.repository().latestSnapshot().orElseThrow().resources().size(),
                        cw.store().get(StateRepository.LATEST_SNAPSHOT).orElseThrow().data().length);
                JsonNode recorded = estate.event(recordedEvent());
                HttpGateway gateway = functions.gateway();
                for (int i = 0; i < warmup; i++) {
                    post(gateway, recorded, "warmup-" + i);
                }
                long[] nanos = new long[events];
                long calls0 = estate.requestCount();
                store.reset();
                Allocation allocation = Allocation.start();
                jdk.jfr.Recording jfr = startRecording();
                for (int i = 0; i < events; i++) {
                    long t0 = System.nanoTime();
                    post(gateway, recorded, "bench-" + i);
                    nanos[i] = System.nanoTime() - t0;
                }
                long calls = estate.requestCount() - calls0;
                stopRecording(jfr);
                report(resources, events, warmup, nanos, calls, store);
                allocation.report(events);
                findingsDigest(cw);
                compaction(cw, store, events);
            }
        } finally {
            estate.close();
            deleteTree(work);
        }
    }

    /**
     * With {@code -Dbench.jfr=FILE}, a flight recording ({@code profile} settings: allocation samples, CPU samples) of
     * the measured events only, not the seed scan or the warm-up, written to FILE.
     */
    private static jdk.jfr.Recording startRecording() throws IOException, java.text.ParseException {
        if (System.getProperty("bench.jfr") == null) {
            return null;
        }
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    private static void stopRecording(jdk.jfr.Recording r) throws IOException {
        if (r != null) {
            r.stop();
            r.dump(Path.of(System.getProperty("bench.jfr")));
            r.close();
            System.out.println("flight recording of the measured events: " + System.getProperty("bench.jfr"));
        }
    }

    /**
     * Bytes allocated and collections during the measured events: per thread (HotSpot's per-thread allocation
     * counters, threads alive at the end; the pools serving an event live through the run), split into the stand-in
     * cloud's threads (the estate server's {@code wire-estate*} connection threads, or the JDK HTTP server's dispatcher
     * and handlers, Jetty's {@code qtp} pool) and the rest, which is
     * {@code serve}'s: the gateway on this thread, the read pool, the write group's threads.
     */
    private static final class Allocation {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> before = new HashMap<>();
        private final long collections0;
        private final long collectionMillis0;

        private final long uptime0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();

        private Allocation() {
            for (long id : threads.getAllThreadIds()) {
                before.put(id, Math.max(0, threads.getThreadAllocatedBytes(id)));
            }
            collections0 = gcCount();
            collectionMillis0 = gcMillis();
        }

        static Allocation start() {
            return new Allocation();
        }

        void report(int events) {
            long cloud = 0;
            long serve = 0;
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = threads.getThreadAllocatedBytes(info.getThreadId());
                if (now < 0) {
                    continue;
                }
                long bytes = now - before.getOrDefault(info.getThreadId(), 0L);
                if (standInCloud(info.getThreadName())) {
                    cloud += bytes;
                } else {
                    serve += bytes;
                }
            }
            System.out.printf("allocated per event: %,d KB (serve %,d KB, stand-in cloud %,d KB)%n",
                    (serve + cloud) / events / 1024, serve / events / 1024, cloud / events / 1024);
            System.out.printf("GC during the measured events (JVM uptime %.3f-%.3f s, as -Xlog:gc prints it): %d"
                    + " collections, %d ms in total (%s)%n", uptime0 / 1e3,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                    gcCount() - collections0, gcMillis() - collectionMillis0,
                    String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                            .map(java.lang.management.GarbageCollectorMXBean::getName).toList()));
        }

        private static boolean standInCloud(String thread) {
            return thread.startsWith("wire-estate") || thread.startsWith("HTTP-Dispatcher")
                    || thread.startsWith("qtp") || thread.startsWith("WireMock");
        }

        private static long gcCount() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
        }

        private static long gcMillis() {
            return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
        }
    }

    /** The stand-in cloud that answers the seed scan and every event's re-read on 127.0.0.1. */
    private interface Estate extends AutoCloseable {
        String describe();

        Map<String, String> config();

        /** Saves the latest snapshot and findings: a state of {@code resources} resources. */
        void seed(Cloudwarden cw, int resources);

        /** The recorded event, naming a bucket this estate serves. */
        JsonNode event(JsonNode recorded);

        long requestCount();

        @Override
        void close() throws IOException;
    }

    /**
     * {@link WireEstateServer} in this JVM (its plain-HTTP front answering from generated S3 wire responses, no
     * request matching): the state is a real scan of its {@code resources} buckets, and the event names bucket 10, a
     * public one (no public access block), as the recorded event's {@code cw-public-assets} is in the sandbox.
     */
    private static final class WireEstate implements Estate {
        private static final int EVENT_BUCKET = 10;
        private final WireEstateServer server;
        private final int port;

        WireEstate(int resources) throws IOException {
            // As tests/bench/e2e.sh: without TCP_NODELAY each answer waits for the client's delayed ACK (~40 ms).
            if (System.getProperty("sun.net.httpserver.nodelay") == null) {
                System.setProperty("sun.net.httpserver.nodelay", "true");
            }
            server = new WireEstateServer(resources);
            port = server.start(0);
        }

        @Override
        public String describe() {
            return "wire (WireEstateServer on 127.0.0.1:" + port + ", S3 wire format, in this JVM)";
        }

        @Override
        public Map<String, String> config() {
            Map<String, String> m = new HashMap<>();
            m.put("cloudwarden.aws.endpoint", "http://127.0.0.1:" + port);
            m.put("cloudwarden.aws.accounts", SandboxServer.AWS_ACCOUNT);
            m.put("cloudwarden.aws.regions", SandboxServer.AWS_REGION);
            m.put("cloudwarden.aws.region", SandboxServer.AWS_REGION);
            // dummy static credentials so the SDK signs without looking for real ones
            m.put("cloudwarden.aws.accessKeyId", "AKIABENCH00000000000");
            m.put("cloudwarden.aws.secretAccessKey", "bench-dummy-secret-not-a-credential");
            return m;
        }

        @Override
        public void seed(Cloudwarden cw, int resources) {
            Functions.inProcess(cw).detector().scan(List.of(Cloud.AWS), java.util.Set.of("storage.bucket"),
                    "bench-seed", io.cloudwarden.model.Actor.SYSTEM, io.cloudwarden.engine.scan.ScanListener.NONE);
        }

        @Override
        public JsonNode event(JsonNode recorded) {
            String bucket = WireEstateServer.name(EVENT_BUCKET);
            ObjectNode e = recorded.deepCopy();
            ObjectNode request = (ObjectNode) e.path("detail").path("requestParameters");
            request.put("bucketName", bucket);
            request.put("Host", bucket + ".s3.amazonaws.com");
            for (JsonNode r : e.path("detail").path("resources")) {
                ((ObjectNode) r).put("ARN", "arn:aws:s3:::" + bucket);
            }
            return e;
        }

        @Override
        public long requestCount() {
            return server.requestCount();
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    /**
     * The sandbox's recorded AWS endpoint (WireMock and Jetty in this JVM; every request is scored against every stub
     * mapping): the state is its AWS estate as scanned plus generated buckets (copies of a scanned one, not served),
     * and the event names {@code cw-public-assets} as recorded.
     */
    private static final class SandboxEstate implements Estate {
        private final SandboxServer server;

        SandboxEstate(Path dir) throws IOException {
            server = SandboxServer.start(dir);
            SandboxServer.installTrustStore();
        }

        @Override
        public String describe() {
            return "sandbox (WireMock on " + server.httpUrl() + ", recorded responses, in this JVM)";
        }

        @Override
        public Map<String, String> config() {
            return server.config();
        }

        @Override
        public void seed(Cloudwarden cw, int resources) {
            EventLatencyBenchmark.seed(cw, resources);
        }

        @Override
        public JsonNode event(JsonNode recorded) {
            return recorded;
        }

        @Override
        public long requestCount() {
            return server.requestCount();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** The sandbox's AWS estate as scanned, plus generated buckets up to {@code resources}, saved as the latest. */
    private static void seed(Cloudwarden cw, int resources) {
        Functions.inProcess(cw).detector().scan(List.of(Cloud.AWS), java.util.Set.of(), "bench-seed",
                io.cloudwarden.model.Actor.SYSTEM, io.cloudwarden.engine.scan.ScanListener.NONE);
        Snapshot scanned = cw.repository().latestSnapshot().orElseThrow();
        Resource template = scanned.resources().stream().filter(r -> r.type().equals("storage.bucket"))
                .findFirst().orElseThrow();
        List<Resource> all = new ArrayList<>(scanned.resources());
        for (int i = 0; all.size() < resources; i++) {
            String name = String.format("bench-bucket-%05d", i);
            ObjectNode attributes = template.attributes().deepCopy();
            attributes.put("publicAccess", i % 10 == 0);
            all.add(template.toBuilder().id("arn:aws:s3:::" + name).name(name).attributes(attributes).build());
        }
        Snapshot state = Snapshot.of(scanned.takenAt(), all, scanned.errors());
        cw.repository().saveSnapshot(state);
        cw.repository().saveFindings(cw.policies().evaluateAll(all).findings(), scanned.takenAt());
    }

    private static JsonNode recordedEvent() throws IOException {
        return SandboxServer.events().stream().filter(e -> e.cloud() == Cloud.AWS
                        && e.name().contains("delete-public-access-block")).findFirst().orElseThrow().envelope();
    }

    private static final String TOKEN = "bench-token";

    private static void post(HttpGateway gateway, JsonNode recorded, String id) throws IOException {
        ObjectNode e = recorded.deepCopy();
        e.put("id", id);
        ((ObjectNode) e.path("detail")).put("eventID", id);
        byte[] body = ModelJson.mapper().writeValueAsBytes(e);
        HttpResponse r = gateway.handle(new HttpRequest("POST", "/events/aws",
                Map.of("content-type", List.of("application/json"), "authorization", List.of("Bearer " + TOKEN)), "",
                body));
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("event " + id + ": HTTP " + r.status() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    private static void report(int resources, int events, int warmup, long[] nanos, long calls, CountingStateStore store) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("events: %d measured after %d warm-up, %d resources in the state%n", events, warmup,
                resources);
        System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", ms(pct(sorted, 50)),
                ms(pct(sorted, 90)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1]));
        System.out.printf("API calls per event (server-side): %.2f%n", calls / (double) events);
        System.out.printf("state bytes written per event: %,d (total %,d)%n", store.total() / events, store.total());
        byPrefix(store).forEach((k, v) -> System.out.printf("  %-28s %,12d bytes/event%n", k, v / events));
        System.out.printf("state store calls per event: %s%n", perEvent(store.calls(), events));
        Map<String, Long> reads = new TreeMap<>();
        store.read().forEach((k, v) -> reads.merge(prefix(k), v, Long::sum));
        System.out.printf("state objects read per event: %s%n", perEvent(reads, events));
    }

    /**
     * What the latest findings say (the base's document with the pending updates laid over it), without their
     * observation times: the same digest before and after a change of the event path means the same findings.
     */
    private static void findingsDigest(Cloudwarden cw) {
        List<String> lines = cw.repository().latestFindings().map(d -> d.findings()).orElse(List.of()).stream()
                .map(f -> f.id() + "|" + f.ruleId() + "|" + f.status() + "|" + f.severity() + "|" + f.message())
                .sorted().toList();
        System.out.printf("latest findings: %d, digest %s%n", lines.size(),
                io.cloudwarden.model.Hashing.sha256Hex(String.join("\n", lines)).substring(0, 12));
    }

    /**
     * The compaction's share, which a short run may not reach: when no compaction ran among the measured events, one
     * is run now and its bytes are spread over the updates that make it due ({@link
     * StateRepository#compactionThreshold()}), the steady-state cost per event.
     */
    private static void compaction(Cloudwarden cw, CountingStateStore store, int events) {
        boolean ranDuringTheRun = store.written().containsKey(StateRepository.LATEST_SNAPSHOT);
        int threshold = cw.repository().compactionThreshold();
        long measured = store.total();
        if (ranDuringTheRun) {
            System.out.printf("compaction: ran during the measured events (due every %d pending updates); its bytes"
                    + " are in the figures above%n", threshold);
            return;
        }
        int pending = cw.repository().pendingUpdates().size();
        store.reset();
        long t0 = System.nanoTime();
        StateRepository.Compaction c = cw.repository().compact();
        long nanos = System.nanoTime() - t0;
        long bytes = store.total();
        System.out.printf("compaction: not reached (%d of %d pending updates); one run now folded %d in %.1f ms and"
                + " wrote %,d bytes = %,d bytes/event amortized over %d events%n", pending, threshold, c.folded(),
                ms(nanos), bytes, bytes / threshold, threshold);
        System.out.printf("state bytes per event, steady state (measured + compaction amortized): %,d%n",
                measured / events + bytes / threshold);
    }

    private static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String perEvent(Map<String, Long> counts, int events) {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format("%.2f", v / (double) events)));
        return b.length() == 0 ? "none" : b.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Delegates to a store and counts the bytes of every write, by the key's first one or two segments. */

    /**
     * Bytes written per event, grouped by kind of key: a snapshot history entry, one object per key (events, plans,
     * …), or the key itself ({@code latest.json}).
     */
    static Map<String, Long> byPrefix(CountingStateStore store) {
        Map<String, Long> out = new TreeMap<>();
        store.written().forEach((k, v) -> out.merge(prefix(k), v, Long::sum));
        return out;
    }

    private static String prefix(String key) {
        String[] parts = key.split("/");
        if (parts.length > 2) {
            return parts[0] + "/" + parts[1] + "/";
        }
        if (parts.length == 2) {
            return parts[1].equals("latest.json") ? key
                    : parts[0] + (parts[0].equals("snapshots") ? "/<history>" : "/<one per key>");
        }
        return key;
    }
}
