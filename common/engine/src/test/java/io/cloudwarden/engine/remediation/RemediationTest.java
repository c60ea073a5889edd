package io.cloudwarden.engine.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanPipeline;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Severity;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RemediationTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final Actor alice = new Actor("chat", "U1", "alice", "slack:T1");
    private final Actor bob = new Actor("chat", "U2", "bob", "slack:T1");
    private final List<String> audit = new ArrayList<>();

    private InMemoryProvider provider = InMemoryProvider.aws();

    private static Finding publicFinding(Resource r, RemediationRef.Mode mode) {
        return new Finding(Finding.idFor("storage-no-public-access", r.ref()), "storage-no-public-access",
                "Object storage must not allow anonymous reads", Severity.HIGH, Finding.Status.FAIL, r.ref(), "public",
                List.of("CIS AWS 2.1.4"), Optional.of(new RemediationRef(InMemoryProvider.BLOCK_PUBLIC, mode)),
                clock().instant());
    }

    private static Clock clock() {
        return Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    }

    private RemediationExecutor executor(Guardrails guardrails) {
        ProviderRegistry registry = ProviderRegistry.of(List.of(provider));
        InMemoryStateStore store = new InMemoryStateStore();
        Set<String> claimed = new HashSet<>();
        IdempotencyLedger ledger = (key, record) -> claimed.add(key);
        AuditSink sink = (actor, action, subject, outcome, details) ->
                audit.add(actor.label() + " " + action + " " + outcome);
        return new RemediationExecutor(registry, new ScanPipeline(registry, 2, clock), guardrails,
                new PlanStore(store), ledger, sink, clock);
    }

    private RemediationPlan planFor(Resource r, RemediationRef.Mode mode, Actor requester, Guardrails g) {
        RemediationPlanner planner = new RemediationPlanner(ProviderRegistry.of(List.of(provider)), g, clock);
        return planner.plan(List.of(publicFinding(r, mode)), List.of(r), "evt-1", requester).get(0).plan()
                .orElseThrow();
    }

    private ProviderSession session() {
        return provider.open(ProviderConfig.defaults(Cloud.AWS));
    }

    @Test
    void byDefaultNothingIsAppliedAndThePlanIsReportedAsADryRun() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults();
        RemediationResult result = executor(g).submit(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g),
                c -> session());
        assertThat(result.status()).isEqualTo("planned");
        assertThat(result.dryRun()).isTrue();
        assertThat(provider.applyCount()).isZero();
        assertThat(provider.get(bucket.ref()).orElseThrow().attributes().get("publicAccess").asBoolean()).isTrue();
        assertThat(audit).contains("cloudwarden remediation.apply dry-run");
    }

    @Test
    void autoModeAppliesVerifiesOnAReReadAndAudits() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        RemediationResult result = executor(g).submit(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g),
                c -> session());
        assertThat(result.status()).isEqualTo("applied-verified");
        assertThat(provider.get(bucket.ref()).orElseThrow().attributes().get("publicAccess").asBoolean()).isFalse();
        assertThat(audit).containsSubsequence("cloudwarden remediation.plan created",
                "cloudwarden remediation.verify applied-verified");
    }

    @Test
    void aSinkThatGathersRecordsIsFlushedBeforeTheCloudIsChangedAndAfterTheOutcomeIsRecorded() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        ProviderRegistry registry = ProviderRegistry.of(List.of(provider));
        AuditSink gathering = new AuditSink() {
            @Override
            public void record(Actor actor, String action, String subject, String outcome,
                    com.fasterxml.jackson.databind.JsonNode details) {
                audit.add(action + " " + outcome);
            }

            @Override
            public void flush() {
                audit.add("flush, applied " + provider.applyCount());
            }
        };
        new RemediationExecutor(registry, new ScanPipeline(registry, 2, clock), g, new PlanStore(
                new InMemoryStateStore()), (key, record) -> true, gathering, clock)
                .submit(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g), c -> session());

        assertThat(audit).containsExactly("remediation.plan created", "flush, applied 0",
                "remediation.verify applied-verified", "flush, applied 1");
    }

    @Test
    void theSamePlanDeliveredTwiceIsAppliedOnce() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        RemediationExecutor executor = executor(g);
        RemediationPlan plan = planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g);
        executor.submit(plan, c -> session());
        RemediationResult second = executor.submit(plan, c -> session());
        assertThat(second.status()).isEqualTo("duplicate");
        assertThat(provider.applyCount()).isEqualTo(1);
    }

    @Test
    void aChangeThatDoesNotShowOnTheReReadIsReportedAsVerifyFailed() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket).applyHasEffect(false);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        RemediationResult result = executor(g).submit(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g),
                c -> session());
        assertThat(result.status()).isEqualTo("verify-failed");
    }

    @Test
    void approveModeWaitsForApprovalAndAHighRiskPlanNeedsASecondPerson() {
        provider = new InMemoryProvider(Cloud.AWS, InMemoryProvider.aws().open(ProviderConfig.defaults(Cloud.AWS))
                .targets(), RemediationPlan.Risk.HIGH);
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        RemediationExecutor executor = executor(g);
        RemediationPlan plan = planFor(bucket, RemediationRef.Mode.APPROVE, alice, g);

        assertThat(executor.submit(plan, c -> session()).status()).isEqualTo("awaiting-approval");
        assertThat(provider.applyCount()).isZero();

        assertThatThrownBy(() -> executor.approve(plan.id(), alice, c -> session()))
                .isInstanceOfSatisfying(ApprovalRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo("two-person-rule"));
        assertThat(provider.applyCount()).isZero();

        assertThat(executor.approve(plan.id(), bob, c -> session()).status()).isEqualTo("applied-verified");
        assertThat(executor.plans().find(plan.id()).orElseThrow().status()).isEqualTo("applied-verified");
        assertThat(audit).contains("alice remediation.approve refused:two-person-rule", "bob remediation.approve approved");
    }

    @Test
    void aDeniedPlanCannotBeApprovedAfterwards() {
        Resource bucket = Resources.awsBucket("site", true);
        provider.put(bucket);
        Guardrails g = Guardrails.defaults().withDryRun(false);
        RemediationExecutor executor = executor(g);
        RemediationPlan plan = planFor(bucket, RemediationRef.Mode.APPROVE, alice, g);
        executor.submit(plan, c -> session());
        executor.deny(plan.id(), bob, "not now");
        assertThatThrownBy(() -> executor.approve(plan.id(), bob, c -> session()))
                .isInstanceOf(ApprovalRefusedException.class).hasMessageContaining("denied");
        assertThat(provider.applyCount()).isZero();
    }

    @Test
    void aRuleThatWouldSweepTheEstateTripsTheBreakerBeforeAnythingIsPlanned() {
        List<Resource> buckets = IntStream.range(0, 12).mapToObj(i -> Resources.awsBucket("b" + i, true)).toList();
        List<Finding> findings = buckets.stream().map(b -> publicFinding(b, RemediationRef.Mode.AUTO)).toList();
        RemediationPlanner planner = new RemediationPlanner(ProviderRegistry.of(List.of(provider)),
                Guardrails.defaults(), clock);
        assertThatThrownBy(() -> planner.plan(findings, buckets, "tick", Actor.SYSTEM))
                .isInstanceOf(GuardrailTrippedException.class).hasMessageContaining("12 resources");
    }

    @Test
    void aQuarterOfATypeIsTheMostOneRunMayChange() {
        List<Resource> buckets = IntStream.range(0, 8).mapToObj(i -> Resources.awsBucket("b" + i, i < 3)).toList();
        List<Finding> findings = buckets.stream().filter(b -> b.attributes().get("publicAccess").asBoolean())
                .map(b -> publicFinding(b, RemediationRef.Mode.AUTO)).toList();
        RemediationPlanner planner = new RemediationPlanner(ProviderRegistry.of(List.of(provider)),
                Guardrails.defaults(), clock);
        assertThatThrownBy(() -> planner.plan(findings, buckets, "tick", Actor.SYSTEM))
                .isInstanceOf(GuardrailTrippedException.class).hasMessageContaining("3 of 8");
    }

    @Test
    void exemptResourcesNotifyOnlyRulesAndCompliantResourcesGetNoPlan() {
        Resource exempt = Resources.awsBucket("exempt", true).toBuilder().tag("cloudwarden:exempt", "true").build();
        Resource notify = Resources.awsBucket("notify", true);
        RemediationPlanner planner = new RemediationPlanner(ProviderRegistry.of(List.of(provider)),
                Guardrails.defaults(), clock);
        List<PlanOutcome> outcomes = planner.plan(List.of(publicFinding(exempt, RemediationRef.Mode.AUTO),
                publicFinding(notify, RemediationRef.Mode.NOTIFY)), List.of(exempt, notify), "t", Actor.SYSTEM);
        assertThat(outcomes).extracting(PlanOutcome::skipped)
                .containsExactly("exempt by tag cloudwarden:exempt=true", "notify only");
    }

    @Test
    void theSameFindingAndTriggerAlwaysYieldTheSamePlanId() {
        Resource bucket = Resources.awsBucket("site", true);
        Guardrails g = Guardrails.defaults();
        assertThat(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g).id())
                .isEqualTo(planFor(bucket, RemediationRef.Mode.AUTO, Actor.SYSTEM, g).id());
    }

    @Test
    void severalRulesAskingForTheSameFixOfOneResourceMakeOnePlan() {
        Resource bucket = Resources.awsBucket("site", true);
        Finding a = publicFinding(bucket, RemediationRef.Mode.AUTO);
        Finding b = new Finding(Finding.idFor("another-rule", bucket.ref()), "another-rule", "Another", Severity.LOW,
                Finding.Status.FAIL, bucket.ref(), "", List.of(),
                Optional.of(new RemediationRef(InMemoryProvider.BLOCK_PUBLIC, RemediationRef.Mode.AUTO)),
                clock.instant());
        List<PlanOutcome> outcomes = new RemediationPlanner(ProviderRegistry.of(List.of(provider)),
                Guardrails.defaults(), clock).plan(List.of(a, b), List.of(bucket), "t", Actor.SYSTEM);
        assertThat(outcomes.stream().filter(o -> o.plan().isPresent())).hasSize(1);
        assertThat(outcomes.get(1).skipped()).startsWith("covered by plan p-");
    }
}
