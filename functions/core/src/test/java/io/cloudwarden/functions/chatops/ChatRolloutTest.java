package io.cloudwarden.functions.chatops;

import static io.cloudwarden.functions.chatops.ChatOpsHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.Rollouts;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.testkit.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code approve rollout-…}: the plans of one action awaiting approval are approved together and applied in verified
 * waves; the chat reply shows the waves and their progress, and a halt names the failing resource and the reason.
 */
class ChatRolloutTest {
    private static final String FAILING = "arn:aws:s3:::site-1";

    /**
     * Eight public buckets (public-logs, site-0 … site-6): the scheduled scan plans a fix for each, awaiting approval
     * (the rule's mode), requested by the system.
     */
    private final ChatOpsHarness h = harness();

    private static ChatOpsHarness harness() {
        ChatOpsHarness h = new ChatOpsHarness(Map.of("cloudwarden.guardrails.max-fraction", "1"));
        IntStream.range(0, 7).forEach(i -> h.provider.put(Resources.awsBucket("site-" + i, true)));
        return h.scanned();
    }

    private String rolloutId() {
        List<RemediationPlan> waiting = h.cw.executor().plans().list().stream()
                .filter(r -> r.status().equals("awaiting-approval")).map(r -> r.plan()).toList();
        assertThat(waiting).hasSize(8);
        return Rollouts.idOf(waiting.get(0).action(), waiting);
    }

    private String lastPosted() {
        return slackText(h.posted.get(h.posted.size() - 1).message());
    }

    @Test
    void statusListsTheRolloutAwaitingApprovalWithItsWaves() {
        String text = slackText(json(h.slack(VIEWER, "status")));

        assertThat(text).contains("Rollouts awaiting approval").contains("`" + rolloutId() + "` 8 plans of "
                + "storage.bucket/block-public-access in waves of 1, 2, 5");
    }

    @Test
    void approvingARolloutAppliesItWaveByWaveAndAHaltNamesTheResourceAndTheReason() {
        h.provider.applyHasNoEffectOn(FAILING); // the second resource of wave 2 does not change: its re-read fails
        String id = rolloutId();

        HttpResponse r = h.slack(APPROVER, "approve " + id);

        assertThat(r.status()).isEqualTo(200);
        // the canary and wave 2 up to the failing bucket; wave 3 (5 buckets) is not applied
        assertThat(h.provider.applyCount()).isEqualTo(3);
        String reply = lastPosted();
        assertThat(reply).contains("Rollout `" + id + "` of storage.bucket/block-public-access approved by "
                + APPROVER.toLowerCase() + ": HALTED in wave 2/3 at `" + FAILING + "` — verify-failed: the re-read"
                + " resource does not show the planned change: publicAccess is true, planned false");
        assertThat(reply).contains("wave 1/3: 1/1 verified", "wave 2/3: 1/2 verified — halted at " + FAILING,
                "wave 3/3: 0/5 verified — not started", "verified `arn:aws:s3:::public-logs`",
                "failed `" + FAILING + "`", "pending `arn:aws:s3:::site-6`", "5 resource(s) not applied");
        // each applied plan was approved by the approver (two-person rule per plan), the halt is audited
        assertThat(h.audit("remediation.approve")).hasSize(3)
                .allSatisfy(a -> assertThat(a.actor().id()).isEqualTo(APPROVER));
        assertThat(h.audit("remediation.rollout")).filteredOn(a -> a.outcome().equals("halted")).singleElement()
                .satisfies(a -> {
                    assertThat(a.subject()).isEqualTo(id);
                    assertThat(a.details().path("resource").asText()).isEqualTo(FAILING);
                    assertThat(a.details().path("notApplied").asInt()).isEqualTo(5);
                });
        assertThat(h.audit("chatops.approve")).singleElement().satisfies(a -> {
            assertThat(a.subject()).isEqualTo(id);
            assertThat(a.outcome()).isEqualTo("halted");
        });
        assertThat(h.cw.audit().verify().intact()).isTrue();
    }

    @Test
    void approvingAHaltedRolloutAgainResumesItWithoutReapplyingVerifiedResources() {
        h.provider.applyHasNoEffectOn(FAILING);
        String id = rolloutId();
        h.slack(APPROVER, "approve " + id);
        h.provider.applyHasEffectOn(FAILING);
        h.clock.advance(Duration.ofMinutes(5)); // a new chat request (the same signed request would be a replay)

        h.slack(APPROVER, "approve " + id);

        // the failed bucket once more and the five of wave 3; public-logs and site-0 not again
        assertThat(h.provider.applyCount()).isEqualTo(3 + 6);
        assertThat(lastPosted()).contains("Rollout `" + id + "` of storage.bucket/block-public-access approved by "
                + APPROVER.toLowerCase() + ": completed, 8/8 resources verified on a re-read.")
                .contains("wave 3/3: 5/5 verified");
        List<AuditRecord> rollout = h.audit("remediation.rollout");
        assertThat(rollout).extracting(AuditRecord::outcome).containsSubsequence("started", "halted", "resumed",
                "completed");
    }

    @Test
    void theRequesterCannotApproveARolloutWithPlansThatNeedASecondPerson() {
        // the admin asks in chat for fixes of two of the findings: HIGH risk plans, two-person rule
        List<Finding> open = h.cw.repository().latestFindings().orElseThrow().findings().stream()
                .filter(f -> f.ruleId().equals("storage-no-public-access") && f.status() == Finding.Status.FAIL)
                .limit(2).toList();
        open.forEach(f -> h.slack(ADMIN, "remediate " + f.id()));
        List<RemediationPlan> waiting = h.cw.executor().plans().list().stream()
                .filter(r -> r.status().equals("awaiting-approval")).map(r -> r.plan()).toList();
        String id = Rollouts.idOf("storage.bucket/block-public-access", waiting);

        h.slack(ADMIN, "approve " + id);

        assertThat(lastPosted()).contains("includes 2 plan(s) you requested that need a second person")
                .contains("Nothing was applied");
        assertThat(h.provider.applyCount()).isZero();
        assertThat(h.audit("chatops.approve")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("refused:two-person-rule"));
    }

    @Test
    void anUnknownRolloutIsAPoliteNotFound() {
        h.slack(APPROVER, "approve rollout-00000000000000000000");

        assertThat(lastPosted()).contains("there is no rollout `rollout-00000000000000000000`")
                .contains("`status` lists the rollouts awaiting approval");
        assertThat(h.provider.applyCount()).isZero();
    }
}
