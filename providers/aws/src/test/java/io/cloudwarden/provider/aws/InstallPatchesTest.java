package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compute.instance/install-patches} on AWS against recorded SSM JSON 1.1: SendCommand of AWS-RunPatchBaseline
 * (Install), GetCommandInvocation followed until the command ends, verification on the re-read patch state.
 */
class InstallPatchesTest extends RecordedApi {
    private static final String WEB = "i-0abc1234def567890";
    private static final String COMMAND = "8f3c2a1e-5b7d-4c9e-a0f1-2d3e4b5c6a70";
    private final Remediator r = new AwsProvider().remediators().stream()
            .filter(x -> x.actionId().equals("compute.instance/install-patches")).findFirst().orElseThrow();

    private static RequestPatternBuilder ssmCalled(String operation) {
        return postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM." + operation));
    }

    @BeforeEach
    void estate() {
        session.close();
        session = new io.cloudwarden.provider.aws.session.AwsSession(config(Map.of("patchPollInterval", "PT0S")));
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(notContaining("NextToken"))
                .willReturn(json("ssm/describe-instance-information-page1.json")));
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(containing("ExampleToken"))
                .willReturn(json("ssm/describe-instance-information-page2.json")));
        wm.stubFor(ssm("DescribeInstancePatchStates").willReturn(json("ssm/describe-instance-patch-states.json")));
    }

    private List<Resource> instances() {
        return scan(descriptor(ResourceTypes.COMPUTE_INSTANCE), "us-east-1");
    }

    private RemediationPlan plan(Resource res, PlannedChange c) {
        return new RemediationPlan("p-1", "k-1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO, res.ref(),
                "f-0123456789abcdef", c.summary(), c.before(), c.after(), c.params(), Actor.SYSTEM,
                Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    private Resource reread(Resource web) {
        var d = descriptor(ResourceTypes.COMPUTE_INSTANCE);
        return toResource(d, d.collector().fetch(session, web.ref()).orElseThrow());
    }

    /** GetCommandInvocation: not created yet, then in progress, then {@code end}. */
    private void invocationEnds(String end) {
        String s = "invocation";
        wm.stubFor(ssm("GetCommandInvocation").inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(fixture("ssm/invocation-does-not-exist.json")))
                .willSetStateTo("created"));
        wm.stubFor(ssm("GetCommandInvocation").inScenario(s).whenScenarioStateIs("created")
                .willReturn(json("ssm/get-command-invocation-in-progress.json")).willSetStateTo("ended"));
        wm.stubFor(ssm("GetCommandInvocation").inScenario(s).whenScenarioStateIs("ended")
                .willReturn(json("ssm/" + end)));
    }

    @Test
    void plansOnlyForARunningManagedInstanceMissingCriticalOrSecurityPatches() {
        List<Resource> found = instances();
        Resource web = found.get(0);

        PlannedChange change = r.plan(web).orElseThrow();
        assertThat(change.summary()).isEqualTo("Install 2 critical and 4 security patches on web-1");
        assertThat(change.after().toString()).isEqualTo("{\"patch\":{\"missingCritical\":0,\"missingSecurity\":0}}");
        assertThat(change.before().path("patch").path("lastAssessedAt").asText()).isEqualTo("2026-11-23T07:01:01Z");
        assertThat(r.risk()).isEqualTo(RemediationPlan.Risk.HIGH);
        // stopped (and never scanned): nothing to install
        assertThat(r.plan(found.get(1))).isEmpty();
        assertThat(r.permissions()).containsExactly("ssm:SendCommand", "ssm:ListCommands",
                "ssm:GetCommandInvocation");
    }

    @Test
    void sendsRunPatchBaselineInstallFollowsTheCommandAndVerifiesOnTheReReadPatchState() {
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("ListCommands").willReturn(json("ssm/list-commands-none.json")));
        wm.stubFor(ssm("SendCommand").willReturn(json("ssm/send-command.json")));
        invocationEnds("get-command-invocation-success.json");

        r.apply(session, plan);

        wm.verify(1, ssmCalled("SendCommand").withRequestBody(equalToJson("{\"InstanceIds\":[\"" + WEB + "\"],"
                + "\"DocumentName\":\"AWS-RunPatchBaseline\",\"Comment\":\"cloudwarden-p-1\",\"Parameters\":"
                + "{\"Operation\":[\"Install\"],\"RebootOption\":[\"RebootIfNeeded\"]}}")));
        wm.verify(ssmCalled("ListCommands").withRequestBody(containing("\"InstanceId\":\"" + WEB + "\""))
                .withRequestBody(containing("{\"key\":\"DocumentName\",\"value\":\"AWS-RunPatchBaseline\"}"))
                .withRequestBody(containing("{\"key\":\"InvokedAfter\",\"value\":\"2026-11-23T10:00:00Z\"}")));
        wm.verify(3, ssmCalled("GetCommandInvocation").withRequestBody(equalToJson(
                "{\"CommandId\":\"" + COMMAND + "\",\"InstanceId\":\"" + WEB + "\"}")));

        wm.stubFor(ssm("DescribeInstancePatchStates").atPriority(1)
                .willReturn(json("ssm/describe-instance-patch-states-after-install.json")));
        Resource after = reread(web);
        assertThat(PatchInstalls.failures(after, plan)).isEmpty();
        assertThat(r.verify(after, plan)).isTrue();
        // the plan's own snapshot does not verify it
        assertThat(r.verify(web, plan)).isFalse();
        // patched: planning again finds nothing to do
        assertThat(r.plan(after)).isEmpty();
    }

    @Test
    void applyingAgainFollowsThePlansSucceededCommandInsteadOfSendingASecondOne() {
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("ListCommands").willReturn(json("ssm/list-commands-succeeded.json")));
        wm.stubFor(ssm("GetCommandInvocation").willReturn(json("ssm/get-command-invocation-success.json")));

        r.apply(session, plan);
        // a resumed rollout's retry carries the same plan id with an attempt suffix
        r.apply(session, new RemediationPlan("p-1-attempt-2", "k-1#attempt-2", plan.action(), plan.risk(),
                plan.mode(), plan.resource(), plan.findingId(), plan.summary(), plan.before(), plan.after(),
                plan.params(), plan.requestedBy(), plan.createdAt(), plan.expiresAt()));

        wm.verify(0, ssmCalled("SendCommand"));
        wm.verify(2, ssmCalled("GetCommandInvocation").withRequestBody(containing(COMMAND)));
    }

    @Test
    void aFailedCommandFailsTheApplyWithItsStatusAndError() {
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("ListCommands").willReturn(json("ssm/list-commands-none.json")));
        wm.stubFor(ssm("SendCommand").willReturn(json("ssm/send-command.json")));
        invocationEnds("get-command-invocation-failed.json");

        assertThatThrownBy(() -> r.apply(session, plan)).isInstanceOf(PatchInstalls.InstallFailedException.class)
                .hasMessageContaining("AWS-RunPatchBaseline command " + COMMAND + " on " + WEB + " ended Failed")
                .hasMessageContaining("exit code 1").hasMessageContaining("conflicts with file from package");
    }

    @Test
    void aCriticalPatchStillMissingAfterTheInstallFailsVerification() {
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("DescribeInstancePatchStates").atPriority(1)
                .willReturn(json("ssm/describe-instance-patch-states-install-failed.json")));

        Resource after = reread(web);

        assertThat(r.verify(after, plan)).isFalse();
        assertThat(PatchInstalls.failures(after, plan)).containsExactly("missingCritical is 1");
    }

    @Test
    void anAgentThatDidNotComeBackAfterTheRebootFailsVerification() {
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("DescribeInstancePatchStates").atPriority(1)
                .willReturn(json("ssm/describe-instance-patch-states-after-install.json")));
        Resource after = reread(web);
        var raw = (com.fasterxml.jackson.databind.node.ObjectNode) after.raw().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) raw.path("Ssm").path("InstanceInformation"))
                .put("PingStatus", "ConnectionLost");

        assertThat(r.verify(after.toBuilder().raw(raw).build(), plan)).isFalse();
        assertThat(r.verify(after, plan)).isTrue();
    }

    @Test
    void aCommandStillRunningAtTheTimeoutFailsTheApply() {
        session.close();
        session = new io.cloudwarden.provider.aws.session.AwsSession(config(Map.of("patchPollInterval", "PT0S",
                "patchInstallTimeout", "PT0S")));
        Resource web = instances().get(0);
        RemediationPlan plan = plan(web, r.plan(web).orElseThrow());
        wm.stubFor(ssm("ListCommands").willReturn(json("ssm/list-commands-none.json")));
        wm.stubFor(ssm("SendCommand").willReturn(json("ssm/send-command.json")));
        wm.stubFor(ssm("GetCommandInvocation").willReturn(json("ssm/get-command-invocation-in-progress.json")));

        assertThatThrownBy(() -> r.apply(session, plan)).isInstanceOf(PatchInstalls.InstallTimeoutException.class)
                .hasMessageContaining("still running after PT0S");
    }
}
