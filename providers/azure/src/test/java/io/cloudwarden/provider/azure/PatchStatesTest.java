package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.provider.azure.session.AzureRest;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Virtual machines gain {@code os} and {@code patch} from Azure Update Manager's Resource Graph tables (recorded
 * Resource Graph responses): {@code patchassessmentresources} across its {@code $skipToken} pages and
 * {@code patchinstallationresources}, one query each per subscription, not one per VM.
 */
class PatchStatesTest {
    private RecordedArm arm;
    private AzureSession session;

    @BeforeEach
    void start() {
        arm = new RecordedArm();
        arm.json(RecordedArm.graph(SUB, "Microsoft.Compute/virtualMachines"), "rg-vm-patch.json");
        session = new AzureSession(arm.config(List.of(SUB)));
    }

    @AfterEach
    void stop() {
        session.close();
        arm.close();
    }

    private static MappingBuilder table(String table) {
        return post(urlPathEqualTo(RecordedArm.GRAPH)).withQueryParam("api-version", equalTo(AzureRest.RESOURCE_GRAPH_API))
                .withRequestBody(matchingJsonPath("$.subscriptions[0]", equalTo(SUB)))
                .withRequestBody(matchingJsonPath("$.query", containing(table)));
    }

    private static String patch(Resource r) {
        return r.attributes().get("patch").toString();
    }

    @Test
    void assessmentsAcrossPagesAndInstallationsFillPatchAndOs() throws Exception {
        arm.json(RecordedArm.firstPage(table("patchassessmentresources")), "patch-assessments-page1.json");
        arm.json(table("patchassessmentresources").withRequestBody(matchingJsonPath("$.options['$skipToken']",
                equalTo("ew0KICAiJGlkIjogInBhdGNoLTEiDQp9"))), "patch-assessments-page2.json");
        arm.json(table("patchinstallationresources"), "patch-installations.json");

        List<Resource> vms = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB);

        Resource app = Estate.byName(vms, "app-01");
        assertThat(app.attributes().get("os")).isEqualTo(ModelJson.mapper().readTree("""
                {"family": "windows", "name": "Windows Server 2022 Datacenter Azure Edition",
                 "version": "10.0.20348.2849"}"""));
        // critical 1, security 2, other = updateRollup 1 + updates 3; installed = the later of the two runs
        assertThat(patch(app)).isEqualTo("{\"managed\":true,\"missingCritical\":1,\"missingSecurity\":2,"
                + "\"missingOther\":4,\"lastAssessedAt\":\"2026-11-23T04:10:12.045Z\","
                + "\"lastInstalledAt\":\"2026-11-16T02:51:04.980Z\",\"rebootPending\":true}");
        assertThat(patch(Estate.byName(vms, "db-01"))).isEqualTo("{\"managed\":true,\"missingCritical\":0,"
                + "\"missingSecurity\":0,\"missingOther\":4,\"lastAssessedAt\":\"2026-11-22T22:31:12.781Z\","
                + "\"lastInstalledAt\":null,\"rebootPending\":false}");
        // no assessment on record and periodic assessment off: Update Manager does not manage it
        assertThat(patch(Estate.byName(vms, "legacy-01"))).isEqualTo("{\"managed\":false,\"missingCritical\":null,"
                + "\"missingSecurity\":null,\"missingOther\":null,\"lastAssessedAt\":null,\"lastInstalledAt\":null,"
                + "\"rebootPending\":null}");
        vms.forEach(r -> assertThat(ResourceValidator.validate(r)).as(r.name()).isEmpty());
        arm.server.verify(2, postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH))
                .withRequestBody(containing("patchassessmentresources")));
        arm.server.verify(1, postRequestedFor(urlPathEqualTo(RecordedArm.GRAPH))
                .withRequestBody(containing("patchinstallationresources")));
    }

    @Test
    void periodicAssessmentOnButNoAssessmentYetIsManagedWithNothingKnown() {
        arm.json(table("patchassessmentresources"), "patch-assessments-page2.json");
        arm.json(table("patchinstallationresources"), "patch-installations.json");

        List<Resource> vms = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB);

        // app-01 is AutomaticByPlatform: registered, never assessed (the stale rule's case); its installs still show
        assertThat(patch(Estate.byName(vms, "app-01"))).isEqualTo("{\"managed\":true,\"missingCritical\":null,"
                + "\"missingSecurity\":null,\"missingOther\":null,\"lastAssessedAt\":null,"
                + "\"lastInstalledAt\":\"2026-11-16T02:51:04.980Z\",\"rebootPending\":null}");
    }

    @Test
    void patchTablesThatCannotBeReadLeavePatchNullAndStillReportTheVms() {
        arm.server.stubFor(table("patchassessmentresources").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody(RecordedArm.fixture("error-authorization-failed.json"))));

        List<Resource> vms = Estate.collect(session, ResourceTypes.COMPUTE_INSTANCE, SUB);

        assertThat(vms).hasSize(3).allSatisfy(r -> {
            assertThat(r.attributes().get("patch").isNull()).isTrue();
            assertThat(r.raw().path("cloudwarden").path("patch").path("error").asText())
                    .isEqualTo("AuthorizationFailed");
        });
    }
}
