package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.gcp.CollectorRecordedTest.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compute.instance/install-patches} on GCP against recorded OS Config v1 JSON: a patch job executed for the
 * one instance, followed with patchJobs.get until it ends, verification on the re-read inventory and vulnerability
 * report.
 */
class InstallPatchesTest extends RecordedApi {
    private static final String ZONE_A = "/v1/projects/" + PROJECT + "/locations/us-central1-a/instances/-/";
    private static final String ZONE_B = "/v1/projects/" + PROJECT + "/locations/europe-west1-b/instances/-/";
    private static final String JOBS = "/v1/projects/" + PROJECT + "/patchJobs";
    private static final String JOB = "/v1/projects/482019273645/patchJobs/7b1d0f6e-3c2a-4e8b-9a5d-1f0e2d3c4b5a";
    private final ResourceDescriptor instances = CollectorRecordedTest.descriptor(ResourceTypes.COMPUTE_INSTANCE);
    private final Remediator r = new GcpProvider().remediators().stream()
            .filter(x -> x.actionId().equals("compute.instance/install-patches")).findFirst().orElseThrow();

    @Override
    protected ProviderConfig config() {
        ProviderConfig base = super.config();
        var settings = new HashMap<>(base.settings());
        settings.put("patchPollInterval", "PT0S");
        return new ProviderConfig(base.cloud(), base.endpoint(), base.accounts(), base.regions(), settings);
    }

    @BeforeEach
    void estate() {
        wm.stubFor(get(urlPathEqualTo(CollectorRecordedTest.ASSETS))
                .withQueryParam("assetTypes", equalTo("compute.googleapis.com/Instance"))
                .withQueryParam("contentType", equalTo(CollectorRecordedTest.RESOURCE))
                .willReturn(okJson(recorded("cai/instances.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories")).withQueryParam("pageToken", absent())
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories"))
                .withQueryParam("pageToken", equalTo("CiA5ZjJkNGE3Yi1pbnZlbnRvcnktcGFnZS0y"))
                .willReturn(okJson(recorded("osconfig/inventories-us-central1-a-page2.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/vulnerability-reports-us-central1-a.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "inventories")).willReturn(okJson(recorded("osconfig/empty.json"))));
        wm.stubFor(get(urlPathEqualTo(ZONE_B + "vulnerabilityReports"))
                .willReturn(okJson(recorded("osconfig/empty.json"))));
        wm.stubFor(get(urlPathEqualTo("/compute/v1/projects/cw-demo-prod/zones/us-central1-a/instances/web-1"))
                .willReturn(okJson(recorded("compute/instance-web-1.json"))));
    }

    private Resource instance(String name) {
        List<NativeItem> items = new ArrayList<>();
        instances.collector().collect(session, new Shard(Cloud.GCP, PROJECT, "global", instances.type()), items::add);
        NativeItem item = items.stream().filter(i -> i.id().endsWith("/" + name)).findFirst().orElseThrow();
        return RemediatorRecordedTest.toResource(instances.type(), item, instances);
    }

    private RemediationPlan plan(Resource res, PlannedChange c) {
        return new RemediationPlan("p-1", "k-1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO, res.ref(),
                "f-0123456789abcdef", c.summary(), c.before(), c.after(), c.params(), Actor.SYSTEM,
                Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    /** What OS Config reports for zone A once the job ran: web-1's fresh inventory and vulnerability report. */
    private Resource rereadAfter(Resource web, String inventories, String reports) {
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "inventories")).atPriority(1)
                .willReturn(okJson(recorded("osconfig/" + inventories))));
        wm.stubFor(get(urlPathEqualTo(ZONE_A + "vulnerabilityReports")).atPriority(1)
                .willReturn(okJson(recorded("osconfig/" + reports))));
        NativeItem item = instances.collector().fetch(session, web.ref()).orElseThrow();
        return RemediatorRecordedTest.toResource(instances.type(), item, instances);
    }

    private void jobEnds(String fixture) {
        wm.stubFor(post(urlPathEqualTo(JOBS + ":execute")).willReturn(okJson(recorded("osconfig/patch-job-started.json"))));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(recorded("osconfig/patch-job-patching.json"))).willSetStateTo("ended"));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("job").whenScenarioStateIs("ended")
                .willReturn(okJson(recorded("osconfig/" + fixture))));
    }

    @Test
    void plansTheVulnerabilityFixingPackagesOfARunningManagedInstanceOnly() {
        Resource web = instance("web-1");

        PlannedChange change = r.plan(web).orElseThrow();
        assertThat(change.summary()).isEqualTo("Install 2 critical and 1 security patches on web-1");
        assertThat(change.params().toString()).isEqualTo("{\"instance\":\"projects/cw-demo-prod/zones/us-central1-a/"
                + "instances/web-1\",\"aptPackages\":[\"curl\",\"libssl3\",\"openssl\"]}");
        // batch-2 does not report to OS Config: the service cannot patch it
        assertThat(r.plan(instance("batch-2"))).isEmpty();
        assertThat(r.permissions()).containsExactly("osconfig.patchJobs.exec", "osconfig.patchJobs.get",
                "osconfig.patchJobs.list");
    }

    @Test
    void executesAPatchJobForTheInstanceFollowsItAndVerifiesOnTheReReadInventory() {
        Resource web = instance("web-1");
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson(recorded("osconfig/patch-jobs-other.json"))));
        jobEnds("patch-job-succeeded.json");

        r.apply(session, plan);

        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS + ":execute")).withRequestBody(equalToJson("""
                {"displayName": "cloudwarden-p-1",
                 "description": "Cloudwarden compute.instance/install-patches (plan p-1)",
                 "instanceFilter": {"instances": ["projects/cw-demo-prod/zones/us-central1-a/instances/web-1"]},
                 "patchConfig": {"rebootConfig": "DEFAULT", "apt": {"exclusivePackages": ["curl", "libssl3", "openssl"]},
                   "yum": {"security": true}, "zypper": {"categories": ["security"]},
                   "windowsUpdate": {"classifications": ["CRITICAL", "SECURITY"]}},
                 "duration": "7200s"}""")));
        wm.verify(2, getRequestedFor(urlPathEqualTo(JOB)));

        Resource after = rereadAfter(web, "inventories-us-central1-a-web-1-after-install.json",
                "vulnerability-reports-us-central1-a-web-1-after-install.json");
        assertThat(PatchInstalls.failures(after, plan)).isEmpty();
        assertThat(r.verify(after, plan)).isTrue();
        assertThat(r.verify(web, plan)).isFalse();
        assertThat(r.plan(after)).isEmpty();
    }

    @Test
    void aJobOfThePlanThatSucceededIsNotExecutedAgain() {
        Resource web = instance("web-1");
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson(recorded("osconfig/patch-jobs-succeeded.json"))));

        r.apply(session, plan);

        wm.verify(0, postRequestedFor(urlPathEqualTo(JOBS + ":execute")));
        wm.verify(0, getRequestedFor(urlPathEqualTo(JOB)));
    }

    @Test
    void aJobCompletedWithErrorsFailsTheApply() {
        Resource web = instance("web-1");
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson(recorded("osconfig/patch-jobs-other.json"))));
        jobEnds("patch-job-failed.json");

        assertThatThrownBy(() -> r.apply(session, plan)).isInstanceOf(PatchInstalls.InstallFailedException.class)
                .hasMessageContaining("ended COMPLETED_WITH_ERRORS")
                .hasMessageContaining("1 of 1 instances failed");
    }

    @Test
    void criticalPackagesStillAvailableAfterTheJobFailVerification() {
        Resource web = instance("web-1");
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());

        Resource after = rereadAfter(web, "inventories-us-central1-a-web-1-openssl-left.json",
                "vulnerability-reports-us-central1-a-web-1-openssl-left.json");

        assertThat(r.verify(after, plan)).isFalse();
        assertThat(PatchInstalls.failures(after, plan)).containsExactly("missingCritical is 2");
    }
}
