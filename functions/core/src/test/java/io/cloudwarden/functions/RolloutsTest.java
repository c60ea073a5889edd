package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.remediation.rollout.Rollout;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rollout use case over the in-memory provider: each resource goes through the real executor (apply, re-read,
 * verify, audit, idempotency ledger), a failed verification halts, and running the same fix again resumes.
 */
class RolloutsTest {
    private final CoreFixture fx = new CoreFixture();
    private static final Actor OPERATOR = new Actor("user", "ops", "ops", "cli");

    private List<RemediationPlan> plans(Cloudwarden cw, List<Resource> buckets) {
        List<Finding> failing = cw.policies().evaluateAll(buckets).findings().stream()
                .filter(f -> f.status() == Finding.Status.FAIL && f.remediation().isPresent()).toList();
        return cw.planner().plan(failing, buckets, "test", OPERATOR).stream().flatMap(o -> o.plan().stream())
                .toList();
    }

    @Test
    void aHaltedRolloutResumesWithoutReapplyingVerifiedResources() {
        List<Resource> buckets = IntStream.range(0, 8).mapToObj(i -> Resources.awsBucket("site-" + i, true))
                .toList();
        buckets.forEach(fx.provider::put);
        Cloudwarden cw = fx.runtime(Map.of("cloudwarden.apply", "true", "cloudwarden.guardrails.max-fraction", "1",
                "cloudwarden.guardrails.max-changes", "20"));
        List<RemediationPlan> plans = plans(cw, buckets);
        assertThat(plans).hasSize(8);
        String action = plans.get(0).action();
        List<String> halts = new ArrayList<>();
        Rollout.Listener listener = new Rollout.Listener() {
            @Override
            public void halted(RolloutRecord r, RolloutRecord.Halt h) {
                halts.add(h.resource() + ": " + h.reason());
            }
        };

        fx.provider.applyHasEffect(false); // the change does not show on the re-read: the canary fails
        RolloutRecord halted = new Rollouts(cw).run(action, plans, buckets, "test", OPERATOR, listener);

        assertThat(halted.status()).isEqualTo("halted");
        assertThat(fx.provider.applyCount()).isEqualTo(1);
        assertThat(halts).singleElement().asString().startsWith("arn:aws:s3:::site-0: verify-failed");

        fx.provider.applyHasEffect(true);
        RolloutRecord done = new Rollouts(cw).run(action, plans, buckets, "test", OPERATOR, listener);

        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.verifiedCount()).isEqualTo(8);
        // the canary once more (second attempt, a new plan key) and the 7 others once each
        assertThat(fx.provider.applyCount()).isEqualTo(1 + 8);
        assertThat(done.waves().get(0).items().get(0).attempts()).isEqualTo(2);
        assertThat(done.waves()).extracting(w -> w.items().size()).containsExactly(1, 2, 5);
    }
}
