package io.cloudwarden.engine.remediation.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.Guardrails;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord.Halt;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord.Item;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutTest {
    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z"); // a Saturday
    private static final Actor ALICE = new Actor("user", "U1", "alice", "slack");
    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryStateStore state = new InMemoryStateStore();
    private final List<String> audit = new ArrayList<>();
    private final List<JsonNode> auditDetails = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final Guardrails apply = Guardrails.defaults().withDryRun(false).withMaxChangesPerRun(50);

    private Rollout rollout(Guardrails g, RolloutSettings settings) {
        return new Rollout(settings, g, new RolloutStore(state), (actor, action, subject, outcome, details) -> {
            audit.add(action + " " + outcome);
            auditDetails.add(details);
        }, clock, pauses::add);
    }

    private final Rollout.Listener listener = new Rollout.Listener() {
        @Override
        public void waveStarted(RolloutRecord r, RolloutRecord.Wave wave) {
            told.add("wave " + wave.index());
        }

        @Override
        public void halted(RolloutRecord r, Halt halt) {
            told.add("halted " + halt.resource() + ": " + halt.reason());
        }
    };

    private static String id(int i) {
        return "arn:aws:ec2:eu-west-1:111122223333:instance/i-" + String.format("%017d", i);
    }

    private static List<Rollout.Target> targets(int n, Map<String, String> tags) {
        return IntStream.range(0, n).mapToObj(i -> new Rollout.Target(new RemediationPlan("p-" + i, "k-" + i,
                "compute.instance/install-patches", RemediationPlan.Risk.MEDIUM, RemediationRef.Mode.APPROVE,
                new ResourceRef(Cloud.AWS, "111122223333", "eu-west-1", "compute.instance", id(i)), "f-" + i,
                "install patches", null, null, null, ALICE, T0, T0.plus(Duration.ofHours(24))), tags)).toList();
    }

    /** A step that records what it applied and fails verification for the resources in {@code failing}. */
    private static Rollout.Step step(List<String> applied, Set<String> failing) {
        return (plan, attempt) -> {
            applied.add(plan.resource().id() + "#" + attempt);
            boolean fails = failing.contains(plan.resource().id());
            return new RemediationResult(plan.id(), plan.key(), plan.action(), plan.resource(),
                    fails ? "verify-failed" : "applied-verified",
                    fails ? "patch state re-read: 1 critical patch still missing" : "", false, T0);
        };
    }

    @Test
    void twentyResourcesAreCutIntoACanaryAQuarterAndTheRest() {
        assertThat(RolloutSettings.defaults().sizes(20)).containsExactly(1, 5, 14);
        assertThat(RolloutSettings.defaults().sizes(100)).containsExactly(5, 25, 70);
        assertThat(RolloutSettings.defaults().sizes(1)).containsExactly(1);
        assertThat(RolloutSettings.defaults().sizes(3)).containsExactly(1, 1, 1);
    }

    @Test
    void aFailedVerificationOnTheThirdOfWaveTwoHaltsExactlyThereAndARetryResumes() {
        List<String> applied = new ArrayList<>();
        Rollout r = rollout(apply, RolloutSettings.defaults().withPause(Duration.ofMinutes(10)));

        RolloutRecord halted = r.run("patch-1", "compute.instance/install-patches", targets(20, Map.of()),
                step(applied, Set.of(id(3))), ALICE, listener);

        // canary (0), then wave 2 = 1..5: 1, 2 verified, 3 fails; 4, 5 and wave 3 never applied
        assertThat(applied).containsExactly(id(0) + "#1", id(1) + "#1", id(2) + "#1", id(3) + "#1");
        assertThat(halted.status()).isEqualTo("halted");
        assertThat(halted.halt()).isEqualTo(new Halt(2, id(3),
                "verify-failed: patch state re-read: 1 critical patch still missing"));
        assertThat(halted.verifiedCount()).isEqualTo(3);
        assertThat(halted.waves().get(2).items()).allMatch(i -> i.status().equals(Item.PENDING));
        assertThat(halted.progressLines()).containsExactly("wave 1/3: 1/1 verified",
                "wave 2/3: 2/5 verified — halted at " + id(3)
                        + ": verify-failed: patch state re-read: 1 critical patch still missing",
                "wave 3/3: 0/14 verified — not started");
        assertThat(audit).containsExactly("remediation.rollout started", "remediation.rollout wave-verified",
                "remediation.rollout halted");
        assertThat(auditDetails.get(2).path("resource").asText()).isEqualTo(id(3));
        assertThat(auditDetails.get(2).path("notApplied").asInt()).isEqualTo(16);
        assertThat(told).containsExactly("wave 1", "wave 2", "halted " + id(3)
                + ": verify-failed: patch state re-read: 1 critical patch still missing");
        assertThat(pauses).containsExactly(Duration.ofMinutes(10));

        // the operator fixes the cause and runs the same rollout again
        List<String> retried = new ArrayList<>();
        RolloutRecord done = r.run("patch-1", "compute.instance/install-patches", targets(20, Map.of()),
                step(retried, Set.of()), ALICE, listener);

        assertThat(retried).first().isEqualTo(id(3) + "#2");
        assertThat(retried).hasSize(17).noneMatch(s -> s.startsWith(id(0) + "#") || s.startsWith(id(1) + "#")
                || s.startsWith(id(2) + "#"));
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.verifiedCount()).isEqualTo(20);
        assertThat(audit).endsWith("remediation.rollout resumed", "remediation.rollout wave-verified",
                "remediation.rollout wave-verified", "remediation.rollout completed");
        // a third run of a completed rollout applies nothing
        List<String> again = new ArrayList<>();
        r.run("patch-1", "compute.instance/install-patches", targets(20, Map.of()), step(again, Set.of()), ALICE,
                listener);
        assertThat(again).isEmpty();
    }

    @Test
    void anApplyThatThrowsHaltsLikeAFailedVerification() {
        List<String> applied = new ArrayList<>();
        RolloutRecord halted = rollout(apply, RolloutSettings.defaults()).run("patch-2", "a/b", targets(4, Map.of()),
                (plan, attempt) -> {
                    applied.add(plan.resource().id());
                    throw new IllegalStateException("SendCommand refused: InvalidInstanceId");
                }, ALICE, listener);

        assertThat(applied).containsExactly(id(0));
        assertThat(halted.halt()).isEqualTo(new Halt(1, id(0), "SendCommand refused: InvalidInstanceId"));
    }

    @Test
    void theBlastRadiusBreakerStillCapsTheWholeRollout() {
        List<String> applied = new ArrayList<>();
        Rollout r = rollout(apply.withMaxChangesPerRun(10), RolloutSettings.defaults());

        assertThatThrownBy(() -> r.run("patch-3", "a/b", targets(20, Map.of()), step(applied, Set.of()), ALICE,
                listener)).isInstanceOf(GuardrailTrippedException.class).hasMessageContaining("20 resources")
                .hasMessageContaining("maxChangesPerRun");
        assertThat(applied).isEmpty();
        assertThat(audit).containsExactly("remediation.rollout refused:blast-radius");
    }

    @Test
    void aDryRunShowsTheWavesAndAppliesNothing() {
        List<String> applied = new ArrayList<>();
        RolloutRecord planned = rollout(Guardrails.defaults().withMaxChangesPerRun(50), RolloutSettings.defaults())
                .run("patch-4", "a/b", targets(20, Map.of()), step(applied, Set.of()), ALICE, listener);

        assertThat(applied).isEmpty();
        assertThat(planned.status()).isEqualTo("planned");
        assertThat(planned.waves()).extracting(w -> w.items().size()).containsExactly(1, 5, 14);
        assertThat(audit).containsExactly("remediation.rollout dry-run");
    }

    @Test
    void aMaintenanceWindowGatesWhenWavesStart() {
        List<String> applied = new ArrayList<>();
        RolloutSettings settings = RolloutSettings.defaults().withWindows(Map.of("weekend-night",
                MaintenanceWindow.parse("Sat,Sun 02:00-05:00 UTC")));
        Rollout r = rollout(apply, settings);
        clock.advance(Duration.ofHours(3)); // Saturday 06:00: outside

        RolloutRecord waiting = r.run("patch-5", "a/b", targets(4, Map.of(RolloutSettings.WINDOW_TAG,
                "weekend-night")), step(applied, Set.of()), ALICE, listener);

        assertThat(applied).isEmpty();
        assertThat(waiting.status()).isEqualTo("waiting-for-window");
        assertThat(waiting.nextStart()).isEqualTo(Instant.parse("2026-11-29T02:00:00Z"));

        clock.advance(Duration.ofHours(20)); // Sunday 02:00: inside
        RolloutRecord done = r.run("patch-5", "a/b", List.of(), step(applied, Set.of()), ALICE, listener);
        assertThat(done.status()).isEqualTo("completed");
        assertThat(applied).hasSize(4);
    }

    @Test
    void aResourceNamingAnUnknownWindowNeverStarts() {
        List<String> applied = new ArrayList<>();
        RolloutRecord waiting = rollout(apply, RolloutSettings.defaults()).run("patch-6", "a/b",
                targets(2, Map.of(RolloutSettings.WINDOW_TAG, "weekend-nite")), step(applied, Set.of()), ALICE,
                listener);

        assertThat(applied).isEmpty();
        assertThat(waiting.status()).isEqualTo("waiting-for-window");
    }

    @Test
    void maintenanceWindowsParseDaysHoursAndZones() {
        MaintenanceWindow night = MaintenanceWindow.parse("Mon-Fri 22:00-02:00 Europe/Berlin");
        assertThat(night.contains(Instant.parse("2026-11-30T21:30:00Z"))).isTrue(); // Mon 22:30 Berlin
        assertThat(night.contains(Instant.parse("2026-12-01T00:30:00Z"))).isTrue(); // Tue 01:30, Monday's window
        assertThat(night.contains(Instant.parse("2026-11-30T12:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-11-28T21:30:00Z"))).isFalse(); // Saturday
        assertThat(MaintenanceWindow.parse("* 00:00-24:00").contains(T0)).isTrue();
        assertThatThrownBy(() -> MaintenanceWindow.parse("Sat 2am-5am")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a time HH:MM but was '2am'");
        assertThatThrownBy(() -> MaintenanceWindow.parse("Caturday 02:00-05:00"))
                .hasMessageContaining("expected a day Mon..Sun but was 'Caturday'");
    }
}
