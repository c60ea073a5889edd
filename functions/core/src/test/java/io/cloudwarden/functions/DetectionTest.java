package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.state.ActorIndex;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectionTest {
    private final CoreFixture fx = new CoreFixture();
    private final List<RemediationRequest> sent = new ArrayList<>();

    private static JsonNode json(String s) throws Exception {
        return ModelJson.mapper().readTree(s);
    }

    @Test
    void aScanSavesTheSnapshotAndFindingsAndEmitsRequestsWithoutTouchingTheCloud() {
        fx.provider.put(Resources.awsBucket("site", true)).put(Resources.awsBucket("logs", false));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            ScanOutcome out = new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM,
                    ScanListener.NONE);

            assertThat(out.snapshot().resources()).hasSize(2);
            assertThat(cw.repository().latestSnapshot()).isPresent();
            assertThat(out.evaluation().findings()).extracting(Finding::ruleId).contains("storage-no-public-access");
            assertThat(cw.repository().latestFindings().orElseThrow().findings())
                    .hasSameSizeAs(out.evaluation().findings());
            assertThat(sent).extracting(r -> r.plan().action()).contains("storage.bucket/block-public-access");
            assertThat(fx.provider.applyCount()).isZero();
            assertThat(cw.audit().verify().intact()).isTrue();
        }
    }

    @Test
    void aFailedShardKeepsItsPreviousResourcesInsteadOfReportingThemRemoved() {
        fx.provider.put(Resources.awsBucket("site", false));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            Detector d = new Detector(cw, sent::add);
            d.scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            fx.provider.failShard("111122223333", "us-east-1", "storage.bucket",
                    new ProviderException(Cloud.AWS, "s3:ListBuckets", "AccessDenied", false, "denied"));
            ScanOutcome second = d.scan(List.of(Cloud.AWS), Set.of(), "t2", Actor.SYSTEM, ScanListener.NONE);

            assertThat(second.snapshot().partial()).isTrue();
            assertThat(second.snapshot().resources()).extracting(r -> r.name()).containsExactly("site");
            assertThat(second.sincePrevious().orElseThrow().drift()).isEmpty();
            // ...and says so: what the failed shard held is "not compared", and the unread scope is named
            assertThat(second.sincePrevious().orElseThrow().notCompared())
                    .extracting(n -> n.address()).isNotEmpty().allMatch(a -> a.startsWith("aws:storage.bucket:"));
            assertThat(second.sincePrevious().orElseThrow().unread()).extracting(e -> e.scope())
                    .containsExactly("aws 111122223333/us-east-1/storage.bucket");
        }
    }

    @Test
    void anEventReCollectsOnlyItsResourceAndNamesTheActorInTheDrift() throws Exception {
        fx.provider.put(Resources.awsBucket("site", false)).put(Resources.awsBucket("logs", false));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            fx.provider.put(Resources.awsBucket("site", true));

            EventOutcome out = new EventHandler(cw, sent::add).handle(Cloud.AWS,
                    json("{\"kind\":\"change\",\"eventId\":\"e-1\",\"bucket\":\"site\",\"actor\":\"mallory\"}"));

            assertThat(out.findings()).extracting(Finding::ruleId).contains("storage-no-public-access");
            assertThat(out.drift()).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(ResourceDrift.Kind.CHANGED);
                assertThat(d.actor().name()).isEqualTo("mallory");
                assertThat(d.patch()).anySatisfy(p -> assertThat(p.path()).isEqualTo("/publicAccess"));
            });
            assertThat(sent).hasSize(1);
            assertThat(cw.repository().latestSnapshot().orElseThrow().resources()).hasSize(2);
            assertThat(new ActorIndex(cw.repository()).actors().get("aws|storage.bucket|arn:aws:s3:::site").name())
                    .isEqualTo("mallory");
            assertThat(cw.store().get(ActorIndex.KEY)).as("carried in the update, not a document per event").isEmpty();
            cw.repository().compact();
            assertThat(cw.store().get(ActorIndex.KEY)).as("folded by the compaction").isPresent();
            assertThat(new ActorIndex(cw.repository()).actors().get("aws|storage.bucket|arn:aws:s3:::site").name())
                    .isEqualTo("mallory");
            assertThat(cw.repository().latestFindings().orElseThrow().findings())
                    .anySatisfy(f -> assertThat(f.resource().id()).isEqualTo("arn:aws:s3:::site"));
        }
    }

    @Test
    void anEventThatFixesABucketResolvesItsFindingInTheHistoryAndTheNextScanKeepsThat() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        var clock = new io.cloudwarden.testkit.MutableClock(java.time.Instant.parse("2026-11-23T10:00:00Z"));
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), io.cloudwarden.engine.ProviderRegistry.of(
                List.of(new CoreFixture.WithParser(fx.provider))), fx.store, clock)) {
            new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            clock.advance(java.time.Duration.ofMinutes(5));
            var history = new io.cloudwarden.engine.state.FindingHistory(cw.repository().store());
            java.util.function.Predicate<io.cloudwarden.engine.state.FindingHistory.Entry> publicSite = e ->
                    e.ruleId().equals("storage-no-public-access") && e.resource().id().equals("arn:aws:s3:::site");
            assertThat(history.entries(publicSite)).singleElement().satisfies(e -> assertThat(e.open()).isTrue());

            fx.provider.put(Resources.awsBucket("site", false));
            new EventHandler(cw, sent::add).handle(Cloud.AWS,
                    json("{\"kind\":\"change\",\"eventId\":\"e-fix\",\"bucket\":\"site\",\"actor\":\"bob\"}"));

            assertThat(history.pendingObservations()).as("no object apart from the update").isEmpty();
            assertThat(cw.repository().pendingUpdates()).as("one small object, not a rewrite").hasSize(1);
            assertThat(history.entries(publicSite)).singleElement().satisfies(e -> {
                assertThat(e.resolvedAt()).isNotNull();
                assertThat(e.transitions()).last().satisfies(t -> assertThat(t.source()).isEqualTo("event:e-fix"));
            });
            clock.advance(java.time.Duration.ofMinutes(5));
            new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t2", Actor.SYSTEM, ScanListener.NONE);
            assertThat(history.pendingObservations()).isEmpty();
            assertThat(history.entries(publicSite)).singleElement().satisfies(e -> assertThat(e.open()).isFalse());
        }
    }

    @Test
    void theSameEventDeliveredTwiceIsHandledOnce() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler h = new EventHandler(cw, sent::add);
            JsonNode e = json("{\"kind\":\"change\",\"eventId\":\"e-1\",\"bucket\":\"site\",\"actor\":\"x\"}");
            h.handle(Cloud.AWS, e);
            EventOutcome again = h.handle(Cloud.AWS, e);
            assertThat(again.duplicates()).containsExactly("e-1");
            assertThat(sent).hasSize(1);
        }
    }

    @Test
    void ignoredAndMalformedEventsAreReportedNotActedOn() throws Exception {
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler h = new EventHandler(cw, sent::add);
            EventOutcome ignored = h.handle(Cloud.AWS, json("{\"kind\":\"change\",\"bucket\":\"b\",\"failed\":true}"));
            assertThat(ignored.ignored()).containsExactly("the call failed (errorCode present)");
            assertThatThrownBy(() -> h.handle(Cloud.AWS, json("{\"kind\":\"change\"}")))
                    .isInstanceOf(EventParseException.class).hasMessageContaining("bucket");
            assertThatThrownBy(() -> h.handle(Cloud.AWS, json("{\"hello\":1}")))
                    .isInstanceOf(EventParseException.class).hasMessageContaining("not a recognised aws event");
            assertThat(sent).isEmpty();
        }
    }

    @Test
    void aScheduleTickRunsAFullScanOncePerTick() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler h = new EventHandler(cw, sent::add);
            EventOutcome first = h.handle(Cloud.AWS, json("{\"kind\":\"tick\",\"id\":\"tick-1\"}"));
            EventOutcome dup = h.handle(Cloud.AWS, json("{\"kind\":\"tick\",\"id\":\"tick-1\"}"));
            assertThat(first.scheduledScan()).isPresent();
            assertThat(dup.scheduledScan()).isEmpty();
            assertThat(dup.duplicates()).containsExactly("schedule:tick-1");
        }
    }

    @Test
    void theRemediationServiceReReadsAndReplansBeforeActing() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.apply", "true"))) {
            new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            RemediationRequest request = sent.get(0);
            fx.provider.put(Resources.awsBucket("site", false)); // fixed by hand meanwhile
            assertThat(new RemediationService(cw).handle(request).status()).isEqualTo("already-compliant");
            assertThat(fx.provider.applyCount()).isZero();
        }
    }

    @Test
    void anEventWhoseHandlingFailedIsNotMarkedHandledSoTheRetryDoesIt() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.cloudwarden.engine.spi.CloudProvider flaky = new CoreFixture.WithParser(fx.provider) {
            @Override
            public List<io.cloudwarden.engine.spi.ResourceDescriptor> descriptors() {
                return super.descriptors().stream().map(d -> new io.cloudwarden.engine.spi.ResourceDescriptor(
                        d.type(), d.nativeType(), d.scope(), d.capabilities(), d.readPermissions(),
                        new io.cloudwarden.engine.spi.ResourceCollector() {
                            @Override
                            public void collect(io.cloudwarden.engine.spi.ProviderSession s,
                                    io.cloudwarden.engine.spi.Shard shard,
                                    java.util.function.Consumer<io.cloudwarden.engine.spi.NativeItem> sink) {
                                d.collector().collect(s, shard, sink);
                            }

                            @Override
                            public java.util.Optional<io.cloudwarden.engine.spi.NativeItem> fetch(
                                    io.cloudwarden.engine.spi.ProviderSession s, io.cloudwarden.model.ResourceRef r) {
                                if (fail.getAndSet(false)) {
                                    throw new ProviderException(Cloud.AWS, "s3:GetBucketAcl", "ServiceUnavailable",
                                            true, "try later");
                                }
                                return d.collector().fetch(s, r);
                            }
                        }, d.normalizer())).toList();
            }
        };
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), io.cloudwarden.engine.ProviderRegistry.of(
                List.of(flaky)), fx.store, fx.clock)) {
            EventHandler h = new EventHandler(cw, sent::add);
            JsonNode e = json("{\"kind\":\"change\",\"eventId\":\"e-9\",\"bucket\":\"site\",\"actor\":\"x\"}");
            assertThatThrownBy(() -> h.handle(Cloud.AWS, e)).isInstanceOf(ProviderException.class);
            EventOutcome retry = h.handle(Cloud.AWS, e);
            assertThat(retry.duplicates()).isEmpty();
            assertThat(retry.findings()).extracting(Finding::ruleId).contains("storage-no-public-access");
            assertThat(h.handle(Cloud.AWS, e).duplicates()).containsExactly("e-9");
        }
    }
}
