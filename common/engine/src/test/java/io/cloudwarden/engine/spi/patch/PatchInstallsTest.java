package io.cloudwarden.engine.spi.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.InstancePatch;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cloud-neutral plan and verification of {@code compute.instance/install-patches}. */
class PatchInstallsTest {
    private static final Instant ASSESSED = Instant.parse("2026-11-23T07:00:00Z");
    private static final Instant INSTALLED = Instant.parse("2026-11-16T07:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-23T10:20:00Z");

    private static Resource instance(String state, InstancePatch patch) {
        ObjectNode attrs = JsonNodeFactory.instance.objectNode().put("state", state);
        if (patch == null) {
            attrs.putNull("patch");
        } else {
            attrs.set("patch", patch.toJson());
        }
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type(ResourceTypes.COMPUTE_INSTANCE).id("i-1").name("web-1").nativeType("AWS::EC2::Instance")
                .attributes(attrs).raw(JsonNodeFactory.instance.objectNode())
                .observedAt(Instant.parse("2026-11-23T10:00:00Z")).build();
    }

    private static InstancePatch missing(int critical, int security) {
        return new InstancePatch(true, critical, security, 1, ASSESSED, INSTALLED, false);
    }

    private static RemediationPlan plan(String id, PlannedChange c) {
        return new RemediationPlan(id, "k-1", PatchInstalls.ACTION, RemediationPlan.Risk.HIGH,
                RemediationRef.Mode.AUTO, instance("running", null).ref(), "f-1", c.summary(), c.before(), c.after(),
                c.params(), Actor.SYSTEM, Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    private static Optional<PlannedChange> plan(Resource r) {
        return PatchInstalls.plan(r, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void plansOnlyForARunningManagedInstanceKnownToMissCriticalOrSecurityPatches() {
        assertThat(plan(instance("running", missing(1, 0)))).isPresent();
        assertThat(plan(instance("running", missing(0, 3)))).isPresent();
        // no-op: nothing missing, counts not reported, not read, unmanaged, stopped
        assertThat(plan(instance("running", missing(0, 0)))).isEmpty();
        assertThat(plan(instance("running", new InstancePatch(true, null, null, 4, ASSESSED, null, null)))).isEmpty();
        assertThat(plan(instance("running", null))).isEmpty();
        assertThat(plan(instance("running", InstancePatch.unmanaged()))).isEmpty();
        assertThat(plan(instance("stopped", missing(2, 4)))).isEmpty();
    }

    @Test
    void verifiedOnlyOnAFreshAssessmentWithNothingCriticalOrSecurityLeftAndAnInstallRecorded() {
        RemediationPlan plan = plan("p-1", plan(instance("running", missing(2, 4))).orElseThrow());

        assertThat(PatchInstalls.failures(instance("running",
                new InstancePatch(true, 0, 0, 1, LATER, LATER, false)), plan)).isEmpty();
        // the plan's own state, and zero counts from the old assessment, prove nothing
        assertThat(PatchInstalls.failures(instance("running", missing(2, 4)), plan)).containsExactly(
                "missingCritical is 2", "missingSecurity is 4",
                "no assessment since the plan (lastAssessedAt 2026-11-23T07:00:00Z)",
                "no installation since the plan (lastInstalledAt 2026-11-16T07:00:00Z)");
        assertThat(PatchInstalls.failures(instance("running",
                new InstancePatch(true, 0, 0, 1, ASSESSED, LATER, false)), plan))
                .containsExactly("no assessment since the plan (lastAssessedAt 2026-11-23T07:00:00Z)");
        // a count not reported is not success
        assertThat(PatchInstalls.failures(instance("running",
                new InstancePatch(true, null, 0, 1, LATER, LATER, false)), plan)).containsExactly("missingCritical is null");
        assertThat(PatchInstalls.failures(instance("running",
                new InstancePatch(true, 0, 0, 1, LATER, LATER, true)), plan)).containsExactly("reboot pending");
        assertThat(PatchInstalls.failures(instance("stopped",
                new InstancePatch(true, 0, 0, 1, LATER, LATER, false)), plan)).containsExactly("state is stopped");
        assertThat(PatchInstalls.failures(instance("running", null), plan)).containsExactly("patch state not read");
        assertThat(PatchInstalls.failures(instance("running", InstancePatch.unmanaged()), plan))
                .containsExactly("no longer managed by the patch service");
    }

    @Test
    void aCloudThatRecordsNoInstallTimeIsJudgedOnTheFreshAssessment() {
        InstancePatch gcp = new InstancePatch(true, 2, 1, 1, ASSESSED, null, null);
        RemediationPlan plan = plan("p-1", plan(instance("running", gcp)).orElseThrow());

        assertThat(PatchInstalls.failures(instance("running", new InstancePatch(true, 0, 0, 1, LATER, null, null)),
                plan)).isEmpty();
    }

    @Test
    void theRunLabelIsThePlanIdWithoutTheRetrysAttemptSuffix() {
        PlannedChange c = plan(instance("running", missing(1, 0))).orElseThrow();
        assertThat(PatchInstalls.runLabel(plan("p-1", c))).isEqualTo("cloudwarden-p-1");
        assertThat(PatchInstalls.runLabel(plan("p-1-attempt-3", c))).isEqualTo("cloudwarden-p-1");
    }

    @Test
    void waitPollsUntilAValueAndTimesOutWithTheSettingsDuration() {
        ProviderConfig quick = new ProviderConfig(Cloud.AWS, Optional.empty(), List.of(), List.of(),
                Map.of("patchPollInterval", "PT0S", "patchInstallTimeout", "PT5S"));
        AtomicInteger polls = new AtomicInteger();
        assertThat(PatchInstalls.Wait.of(quick).until("job", () -> polls.incrementAndGet() < 3
                ? Optional.empty() : Optional.of("done"))).isEqualTo("done");
        assertThat(polls).hasValue(3);

        ProviderConfig none = new ProviderConfig(Cloud.AWS, Optional.empty(), List.of(), List.of(),
                Map.of("patchPollInterval", "PT0S", "patchInstallTimeout", "PT0S"));
        assertThatThrownBy(() -> PatchInstalls.Wait.of(none).until("job j-1", Optional::empty))
                .isInstanceOf(PatchInstalls.InstallTimeoutException.class)
                .hasMessage("job j-1 still running after PT0S; applying again follows it (no second install is started)");
        assertThat(PatchInstalls.Wait.of(ProviderConfig.defaults(Cloud.GCP)))
                .isEqualTo(new PatchInstalls.Wait(Duration.ofSeconds(30), Duration.ofMinutes(50)));
    }

    @Test
    void aBadDurationSettingNamesTheSettingAndTheExpectedForm() {
        ProviderConfig bad = new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(),
                Map.of("patchInstallTimeout", "50m"));
        assertThatThrownBy(() -> PatchInstalls.Wait.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.patchInstallTimeout: expected a non-negative ISO-8601 duration (e.g. PT30S) "
                        + "but was '50m'");
    }
}
