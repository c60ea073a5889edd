package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.session.AzureRest;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compute.instance/install-patches} on Azure against recorded ARM and Resource Graph JSON: {@code POST
 * installPatches} answered 202 with the async-operation headers, the operation polled to its end, verification on
 * the re-read assessment ({@code patchassessmentresources}) and the VM's power and agent state.
 */
class InstallPatchesTest {
    private static final String VM = RecordedArm.RG + "/providers/Microsoft.Compute/virtualMachines/app-01";
    private static final String OPERATION = "/subscriptions/" + SUB
            + "/providers/Microsoft.Compute/locations/westeurope/operations/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    private RecordedArm arm;
    private AzureSession session;
    private final Remediator r = new AzureProvider().remediators().stream()
            .filter(x -> x.actionId().equals("compute.instance/install-patches")).findFirst().orElseThrow();

    @BeforeEach
    void start() {
        arm = new RecordedArm();
        var base = arm.config(List.of(SUB));
        var settings = new HashMap<>(base.settings());
        settings.put("patchPollInterval", "PT0S");
        session = new AzureSession(new ProviderConfig(base.cloud(), base.endpoint(), base.accounts(), base.regions(),
                settings));
        arm.json(RecordedArm.graph(SUB, "Microsoft.Compute/virtualMachines"), "rg-vm-patch.json");
        arm.json(RecordedArm.firstPage(table("patchassessmentresources")), "patch-assessments-page1.json");
        arm.json(table("patchassessmentresources").withRequestBody(matchingJsonPath("$.options['$skipToken']",
                equalTo("ew0KICAiJGlkIjogInBhdGNoLTEiDQp9"))), "patch-assessments-page2.json");
        arm.json(table("patchinstallationresources"), "patch-installations.json");
        arm.json(RecordedArm.armGet(VM).withQueryParam("$expand", equalTo("instanceView")), "vm-app-01-get.json");
    }

    @AfterEach
    void stop() {
        session.close();
        arm.close();
    }

    private static MappingBuilder table(String table) {
        return post(urlPathEqualTo("/providers/Microsoft.ResourceGraph/resources"))
                .withQueryParam("api-version", equalTo(AzureRest.RESOURCE_GRAPH_API))
                .withRequestBody(matchingJsonPath("$.subscriptions[0]", equalTo(SUB)))
                .withRequestBody(matchingJsonPath("$.query", containing(table)));
    }

    /** The look for an earlier install of this plan (user-started, since the plan). */
    private static MappingBuilder userInstalls() {
        return table("patchinstallationresources").atPriority(1)
                .withRequestBody(matchingJsonPath("$.query", containing("properties.startedBy =~ 'User'")));
    }

    private List<Resource> vms() {
        return Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB);
    }

    private RemediationPlan plan(Resource res, PlannedChange c) {
        return new RemediationPlan("p-1", "k-1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO, res.ref(),
                "f-0123456789abcdef", c.summary(), c.before(), c.after(), c.params(), Actor.SYSTEM,
                Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    private Resource reread(Resource vm) {
        ResourceDescriptor d = new AzureProvider().descriptors().stream()
                .filter(x -> x.type().equals(ResourceTypes.COMPUTE_INSTANCE)).findFirst().orElseThrow();
        return Estate.toResource(d, d.collector().fetch(session, vm.ref()).orElseThrow());
    }

    /** The assessment and installations Resource Graph holds for app-01 after the install. */
    private void afterInstall(String assessment) {
        arm.json(table("patchassessmentresources").atPriority(2)
                .withRequestBody(matchingJsonPath("$.query", containing("startswith '" + VM + "/'"))), assessment);
        arm.json(table("patchinstallationresources").atPriority(2)
                .withRequestBody(matchingJsonPath("$.query", containing("startswith '" + VM + "/'"))),
                "patch-installations-app-01-after-install.json");
    }

    private void accepted() {
        arm.server.stubFor(post(urlPathEqualTo(VM + "/installPatches")).willReturn(aResponse().withStatus(202)
                .withHeader("Azure-AsyncOperation", "https://management.azure.com" + OPERATION
                        + "?p=a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d&api-version=2024-07-01")
                .withHeader("Location", "https://management.azure.com" + OPERATION
                        + "?p=a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d&monitor=true&api-version=2024-07-01")
                .withHeader("Retry-After", "0").withHeader("x-ms-request-id", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")));
    }

    private void operationEnds(String fixture) {
        arm.server.stubFor(get(urlPathEqualTo(OPERATION)).inScenario("op").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture("install-patches-operation-in-progress.json")))
                .willSetStateTo("done"));
        arm.server.stubFor(get(urlPathEqualTo(OPERATION)).inScenario("op").whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(RecordedArm.fixture(fixture))));
    }

    @Test
    void plansCriticalAndSecurityForTheVmsOsAndNothingForACompliantOrUnmanagedVm() {
        List<Resource> vms = vms();

        PlannedChange change = r.plan(Estate.byName(vms, "app-01")).orElseThrow();
        assertThat(change.summary()).isEqualTo("Install 1 critical and 2 security patches on app-01");
        assertThat(change.params().toString()).isEqualTo(
                "{\"osFamily\":\"windows\",\"rebootSetting\":\"IfRequired\",\"maximumDuration\":\"PT2H\"}");
        // nothing critical or security missing: a no-op
        assertThat(r.plan(Estate.byName(vms, "db-01"))).isEmpty();
        assertThat(r.plan(Estate.byName(vms, "legacy-01"))).isEmpty();
        assertThat(r.permissions()).containsExactly("Microsoft.Compute/virtualMachines/installPatches/action",
                "Microsoft.Compute/locations/operations/read", "Microsoft.ResourceGraph/resources/read");
    }

    @Test
    void postsInstallPatchesFollowsTheAsyncOperationAndVerifiesOnTheReReadAssessment() {
        Resource app = Estate.byName(vms(), "app-01");
        RemediationPlan plan = plan(app, r.plan(app).orElseThrow());
        arm.json(userInstalls(), "patch-installations-user-none.json");
        accepted();
        operationEnds("install-patches-operation-succeeded.json");

        r.apply(session, plan);

        arm.server.verify(1, postRequestedFor(urlPathEqualTo(VM + "/installPatches"))
                .withQueryParam("api-version", equalTo("2024-07-01"))
                .withRequestBody(equalToJson("{\"maximumDuration\":\"PT2H\",\"rebootSetting\":\"IfRequired\","
                        + "\"windowsParameters\":{\"classificationsToInclude\":[\"Critical\",\"Security\"]}}")));
        // the Azure-AsyncOperation URL (not Location) is polled, sent to the configured root
        arm.server.verify(2, getRequestedFor(urlPathEqualTo(OPERATION))
                .withQueryParam("p", equalTo("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"))
                .withQueryParam("monitor", com.github.tomakehurst.wiremock.client.WireMock.absent()));
        arm.server.verify(postRequestedFor(urlPathEqualTo("/providers/Microsoft.ResourceGraph/resources"))
                .withRequestBody(matchingJsonPath("$.query", containing(
                        "todatetime(properties.startDateTime) >= datetime(2026-11-23T10:00:00Z)"))));

        afterInstall("patch-assessments-app-01-after-install.json");
        Resource after = reread(app);
        assertThat(PatchInstalls.failures(after, plan)).isEmpty();
        assertThat(r.verify(after, plan)).isTrue();
        assertThat(r.verify(app, plan)).isFalse();
        assertThat(r.plan(after)).isEmpty();
    }

    @Test
    void anInstallOfThePlanAlreadyOnRecordIsNotStartedAgain() {
        Resource app = Estate.byName(vms(), "app-01");
        RemediationPlan plan = plan(app, r.plan(app).orElseThrow());
        arm.json(userInstalls(), "patch-installations-user-succeeded.json");

        r.apply(session, plan);

        arm.server.verify(0, postRequestedFor(urlPathEqualTo(VM + "/installPatches")));
    }

    @Test
    void anInstallationResultWithAFailedPatchFailsTheApply() {
        Resource app = Estate.byName(vms(), "app-01");
        RemediationPlan plan = plan(app, r.plan(app).orElseThrow());
        arm.json(userInstalls(), "patch-installations-user-none.json");
        accepted();
        operationEnds("install-patches-operation-patch-failed.json");

        assertThatThrownBy(() -> r.apply(session, plan)).isInstanceOf(PatchInstalls.InstallFailedException.class)
                .hasMessageContaining("installPatches on " + VM + " ended Failed (2 installed, 1 failed")
                .hasMessageContaining("Failed to install KB5046616: 0x800f0922");
    }

    @Test
    void aCriticalPatchStillAssessedAsMissingFailsVerification() {
        Resource app = Estate.byName(vms(), "app-01");
        RemediationPlan plan = plan(app, r.plan(app).orElseThrow());
        afterInstall("patch-assessments-app-01-critical-left.json");

        Resource after = reread(app);

        assertThat(r.verify(after, plan)).isFalse();
        assertThat(PatchInstalls.failures(after, plan)).containsExactly("missingCritical is 1");
    }
}
