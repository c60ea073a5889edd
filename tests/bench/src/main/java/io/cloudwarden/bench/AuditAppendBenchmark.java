package io.cloudwarden.bench;

import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The segmented audit trail's append cost (docs/PERFORMANCE.md, issue 19). Not a unit test: run it by hand.
 *
 * <pre>
 * java -Xmx1g -cp functions/local/target/cloudwarden.jar:tests/bench/target/classes \
 *   io.cloudwarden.bench.AuditAppendBenchmark concurrent file 8 100      # writers, appends per writer
 *   ... concurrent s3 8 50        (CLOUDWARDEN_S3RVER_ENDPOINT)
 *   ... concurrent azure 8 50     (CLOUDWARDEN_AZURITE_BLOB_ENDPOINT)
 *   ... size 10 200               # trail of 10 records, then 200 measured appends (file store)
 *   ... size 1000000 200 DIR      # trail of 1,000,000 records built in the writer's format in DIR (kept, and
 *                                 # reused when DIR already holds it), then 200 appends
 * </pre>
 * {@code concurrent}: eight threads, each with its own store client (as function instances would be), append to one
 * trail; prints appends/second, and checks nothing was lost. {@code size}: the cost of one append (median, p99, bytes
 * written) on a trail of that many records, on the local file store (fsync per write, as in production).
 */
public final class AuditAppendBenchmark {
    private static final Actor ACTOR = new Actor("service", "bench", "bench", "benchmark");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "concurrent" -> concurrent(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "size" -> size(Long.parseLong(args[1]), Integer.parseInt(args[2]), args.length > 3 ? Path.of(args[3])
                    : null);
            default -> throw new IllegalArgumentException("mode: expected concurrent or size but was " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------ concurrent writers

    static void concurrent(String kind, int writers, int perWriter) throws Exception {
        java.util.function.Supplier<StateStore> stores = stores(kind);
        StateStore check = stores.get();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            String id = "w" + w;
            futures.add(pool.submit(() -> {
                AuditChain chain = new AuditChain(stores.get());
                for (int i = 0; i < perWriter; i++) {
                    chain.append(new Actor("service", id, id, "bench"), "event", "aws/111122223333", "ok",
                            ModelJson.mapper().createObjectNode().put("i", i));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        AuditChain chain = new AuditChain(check);
        List<AuditRecord> all = chain.read();
        var v = chain.verify();
        int total = writers * perWriter;
        System.out.printf("store=%s writers=%d appends=%d seconds=%.2f appends/s=%.1f stored=%d lost=%d intact=%s%n",
                kind, writers, total, seconds, total / seconds, all.size(), total - all.size(), v.intact());
    }

    private static java.util.function.Supplier<StateStore> stores(String kind) throws Exception {
        switch (kind) {
            case "file" -> {
                Path dir = Files.createTempDirectory("cw-audit-bench");
                return () -> new FileSystemStateStore(dir);
            }
            case "s3" -> {
                String endpoint = env("CLOUDWARDEN_S3RVER_ENDPOINT");
                ProviderConfig config = new ProviderConfig(Cloud.AWS, Optional.of(URI.create(endpoint)), List.of(),
                        List.of("us-east-1"), Map.of("accessKeyId", "S3RVER", "secretAccessKey", "S3RVER"));
                String bucket = "cw-bench-" + UUID.randomUUID().toString().substring(0, 8);
                try (var session = new io.cloudwarden.provider.aws.session.AwsSession(config)) {
                    session.s3("", "us-east-1").createBucket(r -> r.bucket(bucket));
                }
                return () -> new io.cloudwarden.provider.aws.AwsProvider()
                        .stateStore(URI.create("s3://" + bucket + "/state"), config).orElseThrow();
            }
            case "azure" -> {
                String endpoint = env("CLOUDWARDEN_AZURITE_BLOB_ENDPOINT");
                String key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
                String container = "cw-bench-" + UUID.randomUUID().toString().substring(0, 8);
                new com.azure.storage.blob.BlobServiceClientBuilder().endpoint(endpoint)
                        .credential(new com.azure.storage.common.StorageSharedKeyCredential("devstoreaccount1", key))
                        .buildClient().createBlobContainer(container);
                ProviderConfig config = new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(),
                        Map.of("blobEndpoint", endpoint, "storageAccountKey", key));
                return () -> new io.cloudwarden.provider.azure.AzureProvider()
                        .stateStore(URI.create("azblob://devstoreaccount1/" + container + "/state"), config)
                        .orElseThrow();
            }
            default -> throw new IllegalArgumentException("store: expected file, s3 or azure but was " + kind);
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (see .ci/run for starting the emulators)");
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ trail size

    static void size(long records, int measured, Path keep) throws Exception {
        Path dir = keep != null ? keep : Files.createTempDirectory("cw-audit-size");
        long t0 = System.nanoTime();
        if (!Files.exists(dir.resolve(AuditChain.HEAD))) {
            synthesize(dir, records, AuditChain.DEFAULT_SEGMENT_RECORDS);
        }
        // digests for the synthesized closed segments, written without fsync (the real writer's code, a fast store)
        int sealed = new AuditChain(new UnsyncedDir(dir)).seal();
        System.out.printf("trail of >= %,d records ready (%d digests written) in %.1f s%n", records, sealed,
                (System.nanoTime() - t0) / 1e9);

        AtomicLong bytes = new AtomicLong();
        StateStore counting = new Counting(new FileSystemStateStore(dir), bytes);
        AuditChain chain = new AuditChain(counting);
        long[] nanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            long s = System.nanoTime();
            chain.append(ACTOR, "event", "aws/111122223333", "ok", ModelJson.mapper().createObjectNode().put("i", i));
            nanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(nanos);
        System.out.printf("trail=%,d appends=%d median=%.2f ms p99=%.2f ms max=%.2f ms bytes/append=%.1f KiB%n",
                records, measured, nanos[measured / 2] / 1e6, nanos[(int) Math.min(measured - 1, measured * 0.99)] / 1e6,
                nanos[measured - 1] / 1e6, bytes.get() / 1024.0 / measured);
        var v = new AuditChain(new FileSystemStateStore(dir)).verify(AuditChain.Scope.segment(
                (records + measured - 1) / AuditChain.DEFAULT_SEGMENT_RECORDS + 1), Optional.empty());
        System.out.println("last segment intact: " + v.intact());
    }

    /**
     * A trail of {@code records} in the writer's exact format (records from {@link AuditChain#linked}, segment files,
     * head), written without fsync so that a million records take seconds; digests are added by {@code seal()}.
     */
    static void synthesize(Path dir, long records, int perSegment) throws Exception {
        Path segments = dir.resolve(AuditChain.SEGMENTS);
        Files.createDirectories(segments);
        String prev = AuditRecord.GENESIS;
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var writer = ModelJson.mapper().writer();
        long segment = 1;
        for (long seq = 1; seq <= records; seq++) {
            AuditRecord r = AuditChain.linked(seq, t.plusSeconds(seq), ACTOR, "event", "aws/111122223333", "ok",
                    ModelJson.mapper().createObjectNode().put("i", seq), prev);
            buf.write(writer.writeValueAsBytes(r));
            buf.write('\n');
            prev = r.hash();
            if (seq % perSegment == 0 || seq == records) {
                Files.write(dir.resolve(AuditChain.segmentKey(segment)), buf.toByteArray());
                buf.reset();
                if (seq % perSegment == 0 && seq < records) {
                    segment++;
                }
            }
        }
        Files.writeString(dir.resolve(AuditChain.HEAD), "{\"format\":\"" + AuditChain.FORMAT + "\",\"segmentRecords\":"
                + perSegment + ",\"base\":0,\"baseHash\":\"" + AuditRecord.GENESIS + "\",\"segment\":" + segment + "}");
    }

    /** A directory store without fsync or compare-and-swap: only for building the benchmark's trail (one writer). */
    private record UnsyncedDir(Path dir) implements StateStore {
        @Override
        public Optional<StoredObject> get(String key) {
            Path f = dir.resolve(key);
            try {
                return Files.exists(f) ? Optional.of(new StoredObject(key, Files.readAllBytes(f),
                        Long.toString(Files.getLastModifiedTime(f).toMillis()))) : Optional.empty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String put(String key, byte[] data, Precondition precondition) {
            Path f = dir.resolve(key);
            try {
                if (precondition.kind() == Precondition.Kind.IF_ABSENT && Files.exists(f)) {
                    throw new io.cloudwarden.engine.spi.PreconditionFailedException(key, "exists");
                }
                Files.createDirectories(f.getParent());
                Files.write(f, data);
                return Long.toString(Files.getLastModifiedTime(f).toMillis());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public List<String> list(String prefix) {
            return new FileSystemStateStore(dir).list(prefix);
        }

        @Override
        public String describe() {
            return "unsynced:" + dir;
        }
    }

    /** Counts the bytes written through a store. */
    private record Counting(StateStore delegate, AtomicLong bytes) implements StateStore {
        @Override
        public Optional<StoredObject> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] data, Precondition precondition) {
            bytes.addAndGet(data.length);
            return delegate.put(key, data, precondition);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }

    private AuditAppendBenchmark() {
    }
}
