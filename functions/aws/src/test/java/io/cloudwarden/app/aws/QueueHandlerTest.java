package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.engine.remediation.PlanRecord;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.AuditRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code queue} Lambda (SQS event source mapping with ReportBatchItemFailures), dry run: each record on its
 * own, the response naming exactly the records to redeliver.
 */
@QuarkusTest
@TestProfile(Profiles.Queue.class)
class QueueHandlerTest {
    private static final String GOOD = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static final String MALFORMED = "2e1424d4-f796-459a-8184-9c92662be6da";
    private static final String PLAN_ID = "p-9c1f0e6a2b7d4c3e";

    @InjectWireMock
    WireMockServer wm;

    @Inject
    Cloudwarden cw;

    @BeforeEach
    void reset() {
        wm.resetAll();
        Recorded.stubWebGroupUntilRevoked(wm);
    }

    @Test
    void aGoodRemediationRequestIsHandledAndOnlyTheMalformedRecordIsReportedForRedelivery() {
        JsonNode r = Lambda.result(Recorded.envelope("sqs-remediation-good-and-malformed.json"));

        assertThat(r.path("batchItemFailures")).hasSize(1);
        assertThat(r.path("batchItemFailures").path(0).path("itemIdentifier").asText()).isEqualTo(MALFORMED);
        assertThat(r.toString()).doesNotContain(GOOD);
        // the good record: the resource was re-read, re-planned and (dry run) recorded as planned, not applied
        assertThat(cw.executor().plans().find(PLAN_ID)).map(PlanRecord::status).contains("planned");
        assertThat(cw.audit().read()).filteredOn(a -> a.action().equals("remediation.apply"))
                .extracting(AuditRecord::subject, AuditRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Recorded.WEB_GROUP_ARN, "dry-run"));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=DescribeSecurityGroups")));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress")));
    }

    @Test
    void anEventBridgeEnvelopeDeliveredThroughSqsTakesTheEventPath() {
        JsonNode r = Lambda.result(Recorded.envelope("sqs-eventbridge-envelope.json"));

        assertThat(r.path("batchItemFailures")).isEmpty();
        assertThat(cw.audit().read()).filteredOn(a -> a.action().equals("event"))
                .extracting(AuditRecord::subject, a -> a.actor().via())
                .contains(org.assertj.core.groups.Tuple.tuple(Recorded.WEB_GROUP_ARN, "jane.doe@example.com"));
        assertThat(cw.repository().latestFindings().orElseThrow().findings())
                .anySatisfy(f -> assertThat(f.ruleId()).isEqualTo("firewall-no-internet-ssh"));
    }

    @Test
    void anSqsRecordThatFailsOnAwsIsReportedWhileTheOthersSucceed() {
        wm.resetAll(); // the security group cannot be read: EC2 answers 503 on every attempt
        wm.stubFor(Recorded.query("DescribeSecurityGroups").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)
                        .withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(Recorded.fixture("recorded/ec2/request-limit-exceeded.xml"))));

        JsonNode r = Lambda.result(Recorded.envelope("sqs-remediation-good-and-malformed.json"));

        assertThat(r.path("batchItemFailures")).extracting(f -> f.path("itemIdentifier").asText())
                .containsExactlyInAnyOrder(GOOD, MALFORMED);
    }
}
