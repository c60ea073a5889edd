package io.cloudwarden.app.azure;

import static io.cloudwarden.app.azure.RecordedAzure.ACCOUNT_LOGS;
import static io.cloudwarden.app.azure.RecordedAzure.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queueTrigger function fed the invocations the Functions host sends for Storage Queue messages. */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
class QueueFunctionTest {
    @Inject
    Cloudwarden cw;

    @RecordedAzure.Server("queue")
    WireMockServer queue;

    @Test
    void aRemediationRequestTheScanQueuedIsHandledAndAcknowledged() throws Exception {
        // a scan finds the public account and queues a remediation request, as in production
        given().contentType(ContentType.JSON).body("{\"clouds\": [\"azure\"]}").post("/api/scan")
                .then().statusCode(200);
        List<JsonNode> sent = QueueMessages.sent(queue);
        JsonNode request = sent.stream().filter(m -> m.path("subject").asText().equals(ACCOUNT_LOGS)
                && m.at("/data/plan/action").asText().equals("storage.bucket/block-public-access"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no request queued for " + ACCOUNT_LOGS
                        + " in " + sent));
        assertThat(request.path("type").asText()).isEqualTo(RemediationRequest.TYPE);

        String planId = request.at("/data/plan/id").asText();
        assertThat(cw.audit().read()).noneSatisfy(r -> assertThat(r.details().path("planId").asText())
                .isEqualTo(planId));

        // the host decodes the base64 message and hands it over as Data.message
        JsonNode answer = ModelJson.mapper().readTree(given().contentType(ContentType.JSON)
                .body(invocation(request.toString())).post("/queue")
                .then().statusCode(200).extract().asString());

        assertThat(answer.get("Outputs").isEmpty()).isTrue();
        assertThat(answer.get("Logs").toString()).contains("handled");
        // the remediate use case re-read the account, re-planned and recorded the plan (the rule asks for approval)
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).startsWith("remediation.");
            assertThat(r.subject()).isEqualTo(ACCOUNT_LOGS);
            assertThat(r.details().path("planId").asText()).isEqualTo(planId);
        });
    }

    @Test
    void aMessageThatIsNotACloudwardenWorkItemFailsSoTheHostRetriesAndFinallyPoisonsIt() {
        given().contentType(ContentType.JSON).body(fixture("envelopes/queue-invocation-unknown-type.json"))
                .post("/queue")
                .then().statusCode(500)
                .body("Logs[0]", containsString("message 6a4c2e1f-0b3d-4e5f-8a7b-9c0d1e2f3a4b (delivery 2) failed"))
                .body("Logs[0]", containsString("com.example.order.created.v1"));
    }

    @Test
    void aMessageThatIsNotJsonFails() {
        given().contentType(ContentType.JSON).body(invocation("hello")).post("/queue")
                .then().statusCode(500).body("Logs[0]", containsString("body is not JSON"));
    }

    /** The recorded queue invocation with another message text. */
    private static String invocation(String messageText) {
        try {
            ObjectNode inv = (ObjectNode) ModelJson.mapper().readTree(
                    fixture("envelopes/queue-invocation-unknown-type.json"));
            ((ObjectNode) inv.get("Data")).put("message", messageText);
            return inv.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
