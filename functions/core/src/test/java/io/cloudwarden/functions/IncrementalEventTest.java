package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.testkit.CountingStateStore;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An event reads its resource once and writes a small per-resource update, not the whole snapshot. */
class IncrementalEventTest {
    private final CoreFixture fx = new CoreFixture();

    private static JsonNode event(String id, String bucket) throws Exception {
        return ModelJson.mapper().readTree("{\"kind\":\"change\",\"eventId\":\"" + id + "\",\"bucket\":\"" + bucket
                + "\",\"actor\":\"mallory\"}");
    }

    @Test
    void anEventWithAnInProcessDryRunRemediationReadsTheResourceOnce() throws Exception {
        fx.provider.put(Resources.awsBucket("site", false)).put(Resources.awsBucket("logs", false));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            RemediationService remediation = new RemediationService(cw);
            new Detector(cw, r -> { }).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            fx.provider.put(Resources.awsBucket("site", true));
            int before = fx.provider.fetchCount();

            EventOutcome out = new EventHandler(cw, remediation).handle(Cloud.AWS, event("e-1", "site"));

            assertThat(fx.provider.fetchCount() - before).as("reads of the resource for one event").isEqualTo(1);
            assertThat(out.remediation()).anySatisfy(o -> assertThat(o.plan()).isPresent());
            assertThat(cw.executor().plans().find(out.remediation().get(0).plan().orElseThrow().id()).orElseThrow()
                    .status()).as("nothing applied: the rule's plan waits for approval").isEqualTo("awaiting-approval");
        }
    }

    @Test
    void aPlanAboutToBeAppliedIsStillReReadFirst() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.apply", "true"))) {
            List<RemediationRequest> sent = new ArrayList<>();
            new EventHandler(cw, sent::add).handle(Cloud.AWS, event("e-1", "site"));
            fx.provider.put(Resources.awsBucket("site", false)); // fixed by someone meanwhile
            int before = fx.provider.fetchCount();

            var p = sent.get(0).plan();
            var auto = new io.cloudwarden.model.RemediationPlan(p.id(), p.key(), p.action(), p.risk(),
                    io.cloudwarden.model.RemediationRef.Mode.AUTO, p.resource(), p.findingId(), p.summary(),
                    p.before(), p.after(), p.params(), p.requestedBy(), p.createdAt(), p.expiresAt());
            RemediationResult r = new RemediationService(cw).handle(new RemediationRequest(auto, "e-1"),
                    Optional.of(Resources.awsBucket("site", true)));

            assertThat(r.status()).isIn("already-compliant", "skipped");
            assertThat(fx.provider.fetchCount() - before).isEqualTo(1);
            assertThat(fx.provider.applyCount()).isZero();
        }
    }

    @Test
    void anEventOverALargeStateWritesAFewKilobytesNotTheSnapshot() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            fx.provider.put(Resources.awsBucket(String.format("bucket-%04d", i), i % 10 == 0));
        }
        CountingStateStore store = new CountingStateStore(new InMemoryStateStore());
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), ProviderRegistry.of(List.of(
                new CoreFixture.WithParser(fx.provider))), store, fx.clock)) {
            new Detector(cw, r -> { }).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            long snapshotBytes = store.written().get(StateRepository.LATEST_SNAPSHOT);
            List<String> history = cw.repository().historyKeys();
            store.reset();
            fx.provider.put(Resources.awsBucket("bucket-0007", true));

            new EventHandler(cw, new RemediationService(cw)).handle(Cloud.AWS, event("e-7", "bucket-0007"));

            long total = store.total();
            assertThat(snapshotBytes).as("the full snapshot").isGreaterThan(1_000_000);
            assertThat(total).as("state bytes written for one event: " + store.written()).isLessThan(64 * 1024);
            assertThat(store.written()).doesNotContainKey(StateRepository.LATEST_SNAPSHOT)
                    .doesNotContainKey(StateRepository.LATEST_FINDINGS);
            assertThat(cw.repository().historyKeys()).isEqualTo(history);
            assertThat(cw.repository().latestSnapshot().orElseThrow().resources()).hasSize(2_000)
                    .filteredOn(r -> r.name().equals("bucket-0007"))
                    .singleElement().satisfies(r -> assertThat(r.attributes().path("publicAccess").asBoolean())
                            .isTrue());
            assertThat(cw.repository().latestFindings().orElseThrow().findings())
                    .anySatisfy(f -> assertThat(f.resource().id()).isEqualTo("arn:aws:s3:::bucket-0007"));
        }
    }
}
