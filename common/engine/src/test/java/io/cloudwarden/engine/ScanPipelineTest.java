package io.cloudwarden.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ScanPipelineTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFailingShardBecomesAScanErrorAndTheOtherShardsFinish() {
        InMemoryProvider aws = InMemoryProvider.aws()
                .put(Resources.awsBucket("logs", false))
                .put(Resources.awsBucket("site", true).toBuilder().region("eu-west-1").build())
                .failShard("111122223333", "eu-west-1", "storage.bucket",
                        new ProviderException(Cloud.AWS, "s3:ListBuckets", "AccessDenied", false, "denied"));
        ProviderRegistry registry = ProviderRegistry.of(List.of(aws));
        List<Shard> failed = new CopyOnWriteArrayList<>();
        try (ProviderSession session = aws.open(ProviderConfig.defaults(Cloud.AWS))) {
            Snapshot snapshot = new ScanPipeline(registry, 4, clock).scan(Map.of(Cloud.AWS, session), Set.of(),
                    new ScanListener() {
                        @Override
                        public void shardFailed(Shard shard, ScanError error) {
                            failed.add(shard);
                        }
                    });

            assertThat(snapshot.resources()).extracting(Resource::name).containsExactly("logs");
            assertThat(snapshot.errors()).containsExactly(new ScanError(Cloud.AWS, "111122223333", "eu-west-1",
                    "storage.bucket", "denied", "AccessDenied"));
            assertThat(snapshot.partial()).isTrue();
            assertThat(failed).containsExactly(new Shard(Cloud.AWS, "111122223333", "eu-west-1", "storage.bucket"));
            assertThat(snapshot.takenAt()).isEqualTo(clock.instant());
        }
    }

    @Test
    void theSnapshotRecordsTheApiCallsMadeDuringThisScanOnly() {
        InMemoryProvider aws = InMemoryProvider.aws().put(Resources.awsBucket("logs", false));
        ProviderRegistry registry = ProviderRegistry.of(List.of(aws));
        CallStatistics calls = new CallStatistics(Cloud.AWS);
        calls.record("sts", 0, 0); // made before the scan (discovering the account): not this scan's
        try (ProviderSession inner = aws.open(ProviderConfig.defaults(Cloud.AWS))) {
            ProviderSession session = new ProviderSession() {
                @Override
                public Cloud cloud() {
                    return inner.cloud();
                }

                @Override
                public ProviderConfig config() {
                    return inner.config();
                }

                @Override
                public List<io.cloudwarden.engine.spi.ScanTarget> targets() {
                    return inner.targets();
                }

                @Override
                public List<ApiCalls> callStatistics() {
                    return calls.totals();
                }

                @Override
                public void close() {
                }
            };
            Snapshot snapshot = new ScanPipeline(registry, 2, clock).scan(Map.of(Cloud.AWS, session),
                    Set.of("storage.bucket"), new ScanListener() {
                        @Override
                        public void shardFinished(Shard shard, int resources) {
                            calls.record("s3", 1, 1); // one call per shard, retried once after a throttle
                        }
                    });

            assertThat(snapshot.statistics().calls()).containsExactly(new ApiCalls(Cloud.AWS, "s3", 2, 2, 2));
            assertThat(snapshot.resources()).hasSize(1);
        }
    }

    @Test
    void plansOneShardPerAccountRegionAndTypeAndRestrictsToRequestedTypes() {
        InMemoryProvider aws = InMemoryProvider.aws().put(Resources.awsBucket("logs", false));
        ProviderRegistry registry = ProviderRegistry.of(List.of(aws));
        List<Integer> planned = new CopyOnWriteArrayList<>();
        try (ProviderSession session = aws.open(ProviderConfig.defaults(Cloud.AWS))) {
            Snapshot snapshot = new ScanPipeline(registry, 2, clock).scan(Map.of(Cloud.AWS, session),
                    Set.of("storage.bucket"), new ScanListener() {
                        @Override
                        public void planned(int shards) {
                            planned.add(shards);
                        }
                    });
            assertThat(planned).containsExactly(2);
            assertThat(snapshot.resources()).hasSize(1);
            assertThat(snapshot.errors()).isEmpty();
        }
    }

    @Test
    void aResourceTheNormalizerRejectsIsRecordedAndTheRestOfTheShardKept() {
        InMemoryProvider aws = InMemoryProvider.aws().put(Resources.awsBucket("ok", false))
                .put(Resources.awsBucket("broken", false).toBuilder().attributes(null).build());
        // The in-memory normalizer casts attributes to an object; a resource whose native JSON lacks them fails.
        ProviderRegistry registry = ProviderRegistry.of(List.of(new BrokenNormalizerProvider(aws)));
        try (ProviderSession session = aws.open(ProviderConfig.defaults(Cloud.AWS))) {
            Snapshot snapshot = new ScanPipeline(registry, 2, clock).scan(Map.of(Cloud.AWS, session), Set.of(),
                    ScanListener.NONE);
            assertThat(snapshot.resources()).extracting(Resource::name).containsExactly("ok");
            assertThat(snapshot.errors()).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo("NormalizationFailed");
                assertThat(e.message()).contains("arn:aws:s3:::broken");
            });
        }
    }

    @Test
    void aResourceThatBreaksTheModelSchemaIsAnErrorNotPartOfTheSnapshot() {
        var attrs = Resources.awsBucket("bad", false).attributes().deepCopy();
        attrs.put("publicAccess", "maybe");
        InMemoryProvider aws = InMemoryProvider.aws().put(Resources.awsBucket("good", false))
                .put(Resources.awsBucket("bad", false).toBuilder().attributes(attrs).build());
        ProviderRegistry registry = ProviderRegistry.of(List.of(aws));
        try (ProviderSession session = aws.open(ProviderConfig.defaults(Cloud.AWS))) {
            Snapshot snapshot = new ScanPipeline(registry, 2, clock).scan(Map.of(Cloud.AWS, session), Set.of(),
                    ScanListener.NONE);
            assertThat(snapshot.resources()).extracting(Resource::name).containsExactly("good");
            assertThat(snapshot.errors()).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo("SchemaViolation");
                assertThat(e.message()).contains("arn:aws:s3:::bad").contains("/attributes/publicAccess");
            });
        }
    }
}
