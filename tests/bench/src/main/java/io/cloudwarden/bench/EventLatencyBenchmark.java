package io.cloudwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code cloudwarden serve} exposes), over a 2,000-resource state, with the recorded AWS endpoint of the sandbox
 * (WireMock on 127.0.0.1) answering the re-read. Not a unit test: it prints figures.
 *
 * <p>Steps: start the sandbox server; scan its AWS estate once (the real scan path) and add generated buckets until
 * the state holds {@code resources} resources; then post {@code warmup} events (not measured: JIT) and
 * {@code events} measured ones — the recorded {@code DeleteBucketPublicAccessBlock} event on {@code cw-public-assets},
 * each with a fresh event id. Printed per measured event: p50/p99/max latency, API calls answered by the server
 * (its own request journal), and state bytes written (every {@code put} to the state store, by key prefix).
 *
 * <p>Usage: {@code java -cp <cloudwarden.jar>:tests/bench/target/classes io.cloudwarden.bench.EventLatencyBenchmark
 * [resources=2000] [events=200] [warmup=20]}
 */
public final class EventLatencyBenchmark {
    private EventLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path work = Files.createTempDirectory("cw-event-bench");
        SandboxServer server = SandboxServer.start(work.resolve("sandbox"));
        try {
            SandboxServer.installTrustStore();
            Map<String, String> config = new HashMap<>(server.config());
            config.put("cloudwarden.clouds", "aws");
            // /events/* runs only under an authentication scheme: the bearer token, as a deployed function has it
            config.put("cloudwarden.http.token", TOKEN);
            CountingStateStore store = new CountingStateStore(new FileSystemStateStore(work.resolve("state")));
            try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(config), ProviderRegistry.discover(), store,
                    Clock.systemUTC())) {
                Functions functions = Functions.inProcess(cw);
                seed(cw, resources);
                JsonNode recorded = recordedEvent();
                HttpGateway gateway = functions.gateway();
                for (int i = 0; i < warmup; i++) {
                    post(gateway, recorded, "warmup-" + i);
                }
                long[] nanos = new long[events];
                long calls0 = server.requestCount();
                store.reset();
                for (int i = 0; i < events; i++) {
                    long t0 = System.nanoTime();
                    post(gateway, recorded, "bench-" + i);
                    nanos[i] = System.nanoTime() - t0;
                }
                long calls = server.requestCount() - calls0;
                report(resources, events, warmup, nanos, calls, store);
                findingsDigest(cw);
                compaction(cw, store, events);
            }
        } finally {
            server.close();
            deleteTree(work);
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
        System.out.printf("state: %d resources, snapshots/latest.json %d bytes%n", all.size(),
                cw.store().get(StateRepository.LATEST_SNAPSHOT).orElseThrow().data().length);
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
