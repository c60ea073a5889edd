package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.engine.remediation.PlanRecord;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.AuditRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code events} Lambda fed EventBridge envelopes as EventBridge delivers them, with apply on and SSH open to
 * the internet remediated automatically: the whole path runs on the provider's real SDK clients against recorded
 * AWS responses.
 */
@QuarkusTest
@TestProfile(Profiles.Events.class)
class EventsHandlerTest {
    private static final String EVENT_ID = "a3b8c1d2-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
    private static final String SSO_ROLE = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/"
            + "AWSReservedSSO_PowerUser_0a1b2c3d4e5f6a7b";

    @InjectWireMock
    WireMockServer wm;

    @Inject
    Cloudwarden cw;

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    @Test
    void sshOpenedToTheInternetIsAFindingNamingTheActorAndIsRevokedOnceAndVerifiedEvenWhenDeliveredTwice() {
        Recorded.stubWebGroupUntilRevoked(wm);
        String envelope = Recorded.envelope("cloudtrail-authorize-sg-ingress.json");

        JsonNode first = Lambda.result(envelope);

        assertThat(first.path("events")).hasSize(1);
        JsonNode finding = first.path("findings").path(0);
        assertThat(finding.path("ruleId").asText()).isEqualTo("firewall-no-internet-ssh");
        assertThat(finding.path("resource").path("id").asText()).isEqualTo(Recorded.WEB_GROUP_ARN);
        assertThat(finding.path("actor").path("kind").asText()).isEqualTo("role");
        assertThat(finding.path("actor").path("id").asText()).isEqualTo(SSO_ROLE);
        assertThat(finding.path("actor").path("via").asText()).isEqualTo("jane.doe@example.com");
        assertThat(first.path("remediation").path(0).path("mode").asText()).isEqualTo("auto");
        String planId = first.path("remediation").path(0).path("planId").asText();

        // the revoke went to EC2 with exactly the internet-open ranges, then the re-read verified it
        wm.verify(1, postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress"))
                .withRequestBody(containing("GroupId=" + Recorded.WEB_GROUP))
                .withRequestBody(containing("IpRanges.1.CidrIp=0.0.0.0%2F0"))
                .withRequestBody(notContaining("10.0.0.0")));
        assertThat(cw.executor().plans().find(planId)).map(PlanRecord::status).contains("applied-verified");
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("remediation.verify"))
                .extracting(AuditRecord::subject, AuditRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Recorded.WEB_GROUP_ARN, "applied-verified"));
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("event"))
                .extracting(r -> r.actor().via()).containsExactly("jane.doe@example.com");
        assertThat(cw.repository().latestFindings().orElseThrow().findings())
                .anySatisfy(f -> assertThat(f.ruleId()).isEqualTo("firewall-no-internet-ssh"));

        JsonNode second = Lambda.result(envelope);

        assertThat(second.path("duplicates")).extracting(JsonNode::asText).containsExactly(EVENT_ID);
        assertThat(second.path("findings")).isEmpty();
        assertThat(second.path("remediation")).isEmpty();
        wm.verify(1, postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress")));
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("remediation.verify")).hasSize(1);
    }

    @Test
    void changesMadeByCloudwardensOwnRemediationRoleAreIgnoredWithoutCallingAws() {
        JsonNode r = Lambda.result(Recorded.envelope("cloudtrail-revoke-by-remediation-role.json"));

        assertThat(r.path("events")).isEmpty();
        assertThat(r.path("ignored").get(0).asText()).contains("remediation role").contains("loop guard");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCallThatFailedChangedNothingAndIsIgnored() {
        JsonNode r = Lambda.result(Recorded.envelope("cloudtrail-authorize-sg-ingress-denied.json"));

        assertThat(r.path("events")).isEmpty();
        assertThat(r.path("ignored").get(0).asText()).contains("Client.UnauthorizedOperation");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMalformedEnvelopeFailsTheInvocationNamingTheMissingField() {
        Response r = Lambda.invoke(Recorded.envelope("cloudtrail-missing-event-name.json"));

        // a failed invocation: EventBridge retries it, then sends it to the rule's dead-letter queue
        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode error = Lambda.json(r.asString());
        assertThat(error.path("errorType").asText()).isEqualTo("io.cloudwarden.engine.spi.EventParseException");
        assertThat(error.path("errorMessage").asText()).isEqualTo("/detail/eventName: required field is missing");
    }

    @Test
    void aConfigItemChangeRecollectsTheBucketAndAPublicBucketWaitsForApproval() {
        Recorded.stubPublicAssetsBucket(wm);

        JsonNode r = Lambda.result(Recorded.envelope("config-item-change-s3-bucket.json"));

        assertThat(r.path("events").path(0).path("id").asText()).isEqualTo("arn:aws:s3:::cw-public-assets");
        assertThat(r.path("events").path(0).path("action").asText()).isEqualTo("config:UPDATE");
        JsonNode finding = r.path("findings").path(0);
        assertThat(finding.path("ruleId").asText()).isEqualTo("storage-no-public-access");
        assertThat(finding.path("actor").path("kind").asText()).isEqualTo("unknown");
        String planId = r.path("remediation").path(0).path("planId").asText();
        assertThat(r.path("remediation").path(0).path("mode").asText()).isEqualTo("approve");
        assertThat(cw.executor().plans().find(planId)).map(PlanRecord::status).contains("awaiting-approval");
        wm.verify(0, putRequestedFor(urlPathEqualTo("/cw-public-assets")).withQueryParam("publicAccessBlock",
                matching(".*")));
    }
}
