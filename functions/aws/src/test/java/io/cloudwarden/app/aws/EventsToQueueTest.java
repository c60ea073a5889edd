package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.RemediationRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code events} Lambda as deployed with {@code cloudwarden.aws.queue-url}: detection sends the remediation
 * request to SQS (the JSON protocol the SDK speaks since SQS moved off the query protocol) and changes nothing
 * itself; the {@code queue} Lambda applies it.
 */
@QuarkusTest
@TestProfile(Profiles.EventsToQueue.class)
class EventsToQueueTest {
    @InjectWireMock
    WireMockServer wm;

    @BeforeEach
    void reset() {
        wm.resetAll();
        Recorded.stubWebGroupUntilRevoked(wm);
        Recorded.stubSqsSendMessage(wm);
    }

    @Test
    void theRemediationRequestGoesToTheWorkQueueAsACloudEventKeyedByThePlan() throws Exception {
        JsonNode r = Lambda.result(Recorded.envelope("cloudtrail-authorize-sg-ingress.json"));

        assertThat(r.path("remediationRequests").asInt()).isEqualTo(1);
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage")));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getHeader("Content-Type")).isEqualTo("application/x-amz-json-1.0");
        JsonNode call = Lambda.json(sent.get(0).getBodyAsString());
        assertThat(call.path("QueueUrl").asText()).isEqualTo("http://127.0.0.1:" + wm.port() + "/111122223333/cloudwarden-work");

        RemediationRequest request = CloudEventCodec.decodeRemediation(
                call.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8));
        assertThat(request.plan().action()).isEqualTo("network.firewall/revoke-internet-ingress");
        assertThat(request.plan().resource().id()).isEqualTo(Recorded.WEB_GROUP_ARN);
        assertThat(request.plan().id()).isEqualTo(r.path("remediation").path(0).path("planId").asText());
        assertThat(request.trigger()).isEqualTo("a3b8c1d2-4e5f-4a6b-9c7d-8e9f0a1b2c3d");
        JsonNode attributes = call.path("MessageAttributes");
        assertThat(attributes.path(SqsRemediationSink.PLAN_KEY).path("DataType").asText()).isEqualTo("String");
        assertThat(attributes.path(SqsRemediationSink.PLAN_KEY).path("StringValue").asText())
                .isEqualTo(request.plan().key());
        assertThat(call.has("MessageDeduplicationId")).isFalse(); // a standard queue

        // detection never mutates the cloud, even with apply on: the queue consumer does
        wm.verify(0, postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=RevokeSecurityGroupIngress")));
    }
}
