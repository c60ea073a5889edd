package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.Resources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event path's writes are one write group of the state store (made durable together at its end), yet a plan
 * applied inside it finds what must precede a change to the cloud already on disk: the plan, its audit records and
 * its claim (docs/MODEL.md "Write groups").
 */
class EventWriteGroupTest {
    @TempDir
    Path dir;

    private final InMemoryProvider provider = InMemoryProvider.aws();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    /** What another process would read in the state directory now (another thread: no view of a group's writes). */
    private List<String> onDisk() {
        return CompletableFuture.supplyAsync(() -> {
            FileSystemStateStore reader = new FileSystemStateStore(dir);
            List<String> seen = new ArrayList<>(reader.list(""));
            for (String key : reader.list("audit/segments/")) {
                String trail = new String(reader.get(key).orElseThrow().data(), StandardCharsets.UTF_8);
                trail.lines().map(l -> {
                    try {
                        JsonNode r = ModelJson.mapper().readTree(l);
                        return "audit " + r.path("action").asText() + " " + r.path("outcome").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).forEach(seen::add);
            }
            return seen;
        }).join();
    }

    private static JsonNode event(String id, String bucket) throws Exception {
        return ModelJson.mapper().readTree("{\"kind\":\"change\",\"eventId\":\"" + id + "\",\"bucket\":\"" + bucket
                + "\",\"actor\":\"mallory\"}");
    }

    @Test
    void aPlanAppliedInsideTheEventsWriteGroupFindsItsPlanAuditRecordsAndClaimOnDiskFirst() throws Exception {
        List<List<String>> seenAtApply = new ArrayList<>();
        CoreFixture.WithParser watched = new CoreFixture.WithParser(provider) {
            @Override
            public List<Remediator> remediators() {
                return super.remediators().stream().map(r -> (Remediator) new Watching(r, () ->
                        seenAtApply.add(onDisk()))).toList();
            }
        };
        provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of("cloudwarden.apply", "true")),
                ProviderRegistry.of(List.of(watched)), new FileSystemStateStore(dir), clock)) {
            List<RemediationRequest> sent = new ArrayList<>();
            new EventHandler(cw, sent::add).handle(Cloud.AWS, event("e-1", "site"));
            List<String> afterEvent = onDisk();
            assertThat(afterEvent).as("the event's group is written when it ends")
                    .anyMatch(k -> k.startsWith("snapshots/updates/")).anyMatch(k -> k.startsWith("idempotency/"))
                    .contains("audit event processed");
            long claims = afterEvent.stream().filter(k -> k.startsWith("idempotency/")).count();

            RemediationPlan p = sent.get(0).plan();
            RemediationPlan auto = new RemediationPlan(p.id(), p.key(), p.action(), p.risk(),
                    io.cloudwarden.model.RemediationRef.Mode.AUTO, p.resource(), p.findingId(), p.summary(),
                    p.before(), p.after(), p.params(), p.requestedBy(), p.createdAt(), p.expiresAt());
            // as the event path runs an in-process remediation: inside its write group
            RemediationResult r = cw.store().group(() -> new RemediationService(cw)
                    .handle(new RemediationRequest(auto, "e-1"), Optional.empty()));

            assertThat(r.status()).isEqualTo("applied-verified");
            assertThat(seenAtApply).hasSize(1);
            List<String> atApply = seenAtApply.get(0);
            assertThat(atApply).as("on disk when the remediator acted")
                    .contains("plans/" + p.id() + ".json", "audit remediation.plan created")
                    .filteredOn(k -> k.startsWith("idempotency/")).as("the plan key's claim").hasSize((int) claims + 1);
            assertThat(onDisk()).as("the outcome is recorded after the change")
                    .contains("audit remediation.verify applied-verified");
        }
    }

    /** Delegates to a remediator, telling {@code beforeApply} first. */
    private record Watching(Remediator delegate, Runnable beforeApply) implements Remediator {
        @Override
        public String actionId() {
            return delegate.actionId();
        }

        @Override
        public String appliesTo() {
            return delegate.appliesTo();
        }

        @Override
        public List<String> permissions() {
            return delegate.permissions();
        }

        @Override
        public RemediationPlan.Risk risk() {
            return delegate.risk();
        }

        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public Optional<PlannedChange> plan(Resource current) {
            return delegate.plan(current);
        }

        @Override
        public void apply(ProviderSession session, RemediationPlan plan) {
            beforeApply.run();
            delegate.apply(session, plan);
        }
    }
}
