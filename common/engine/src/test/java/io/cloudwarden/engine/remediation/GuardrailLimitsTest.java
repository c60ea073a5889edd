package io.cloudwarden.engine.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Severity;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every blast-radius limit at its edge: one under and at the limit plan, one over trips the breaker (and plans
 * nothing). A comparison turned from {@code >} into {@code >=} (or the reverse) fails one of these.
 */
class GuardrailLimitsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProvider provider = InMemoryProvider.aws();

    /** maxChangesPerRun alone: the per-type fraction is switched off (1.0). */
    private static Guardrails maxChanges(int max) {
        return new Guardrails(true, max, 1.0, 0, null, RemediationPlan.Risk.HIGH, Set.of(), Duration.ofHours(24));
    }

    /** maxFractionOfType alone: the run limit is out of reach. */
    private static Guardrails fraction(double max, int floor) {
        return new Guardrails(true, 1_000, max, floor, null, RemediationPlan.Risk.HIGH, Set.of(),
                Duration.ofHours(24));
    }

    /** {@code total} buckets of which the first {@code failing} are public, each public one with a FAIL finding. */
    private List<PlanOutcome> plan(Guardrails g, int total, int failing) {
        List<Resource> buckets = IntStream.range(0, total)
                .mapToObj(i -> Resources.awsBucket("b" + i, i < failing)).toList();
        List<Finding> findings = buckets.subList(0, failing).stream().map(GuardrailLimitsTest::publicFinding)
                .toList();
        return new RemediationPlanner(ProviderRegistry.of(List.of(provider)), g, CLOCK)
                .plan(findings, buckets, "tick", Actor.SYSTEM);
    }

    private static Finding publicFinding(Resource r) {
        return new Finding(Finding.idFor("storage-no-public-access", r.ref()), "storage-no-public-access",
                "Object storage must not allow anonymous reads", Severity.HIGH, Finding.Status.FAIL, r.ref(), "public",
                List.of(), Optional.of(new RemediationRef(InMemoryProvider.BLOCK_PUBLIC, RemediationRef.Mode.AUTO)),
                CLOCK.instant());
    }

    private static long plannedCount(List<PlanOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.plan().isPresent()).count();
    }

    @Test
    void oneChangeUnderTheRunLimitIsPlanned() {
        assertThat(plannedCount(plan(maxChanges(10), 40, 9))).isEqualTo(9);
    }

    @Test
    void exactlyTheRunLimitIsPlanned() {
        assertThat(plannedCount(plan(maxChanges(10), 40, 10))).isEqualTo(10);
    }

    @Test
    void oneChangeOverTheRunLimitTripsTheBreakerAndPlansNothing() {
        assertThatThrownBy(() -> plan(maxChanges(10), 40, 11)).isInstanceOf(GuardrailTrippedException.class)
                .hasMessageContaining("11 resources, more than the limit of 10");
    }

    @Test
    void aRunLimitOfZeroAllowsAnEmptyRunOnly() {
        assertThat(plan(maxChanges(0), 3, 0)).isEmpty();
        assertThatThrownBy(() -> plan(maxChanges(0), 3, 1)).isInstanceOf(GuardrailTrippedException.class);
    }

    @Test
    void oneUnderTheFractionOfATypeIsPlanned() {
        assertThat(plannedCount(plan(fraction(0.25, 4), 8, 1))).isEqualTo(1);
    }

    @Test
    void exactlyTheFractionOfATypeIsPlanned() {
        // 25 % of 8 = 2
        assertThat(plannedCount(plan(fraction(0.25, 4), 8, 2))).isEqualTo(2);
    }

    @Test
    void oneOverTheFractionOfATypeTripsTheBreaker() {
        assertThatThrownBy(() -> plan(fraction(0.25, 4), 8, 3)).isInstanceOf(GuardrailTrippedException.class)
                .hasMessageContaining("3 of 8");
    }

    @Test
    void aTypeWithExactlyTheFloorIsNotLimitedByTheFraction() {
        // 4 resources, floor 4: the fraction does not apply, all four may change
        assertThat(plannedCount(plan(fraction(0.25, 4), 4, 4))).isEqualTo(4);
    }

    @Test
    void aTypeOneOverTheFloorIsLimitedByTheFraction() {
        // 5 resources, floor 4: 25 % of 5 = 1.25, so 1 passes and 2 trip
        assertThat(plannedCount(plan(fraction(0.25, 4), 5, 1))).isEqualTo(1);
        assertThatThrownBy(() -> plan(fraction(0.25, 4), 5, 2)).isInstanceOf(GuardrailTrippedException.class)
                .hasMessageContaining("2 of 5");
    }

    @Test
    void aTypeOneUnderTheFloorIsNotLimitedByTheFraction() {
        assertThat(plannedCount(plan(fraction(0.25, 4), 3, 3))).isEqualTo(3);
    }

    @Test
    void theDefaultsAreTenPerRunAndAQuarterOfATypeAboveFour() {
        Guardrails d = Guardrails.defaults();
        assertThat(d.maxChangesPerRun()).isEqualTo(10);
        assertThat(d.maxFractionOfType()).isEqualTo(0.25);
        assertThat(d.fractionFloor()).isEqualTo(4);
        assertThat(d.dryRun()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void theFractionBoundsAreAccepted(double value) {
        assertThatCode(() -> fraction(value, 4)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01})
    void aFractionOutsideZeroToOneIsRefused(double value) {
        assertThatThrownBy(() -> fraction(value, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFractionOfType: expected 0..1");
    }

    @Test
    void aNegativeRunLimitIsRefusedAndZeroAccepted() {
        assertThatCode(() -> maxChanges(0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> maxChanges(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxChangesPerRun: expected >= 0 but was -1");
    }
}
