package io.cloudwarden.app.azure;

import static io.cloudwarden.app.azure.RecordedAzure.ACCOUNT_DATA;
import static io.cloudwarden.app.azure.RecordedAzure.ACCOUNT_LOGS;
import static io.cloudwarden.app.azure.RecordedAzure.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The eventGridTrigger function fed the invocations the Functions host sends for ARM events. */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
class EventGridFunctionTest {
    @Inject
    Cloudwarden cw;

    @RecordedAzure.Server("queue")
    WireMockServer queue;

    @Test
    void anArmWriteInTheEventGridSchemaThatLeftAStorageAccountPublicIsAFindingNamingTheCaller() throws Exception {
        int queuedBefore = QueueMessages.sent(queue).size();

        String body = given().contentType(ContentType.JSON)
                .body(fixture("envelopes/eventgrid-invocation-eventgrid-schema.json"))
                .when().post("/eventgrid")
                .then().statusCode(200).extract().asString();

        JsonNode answer = ModelJson.mapper().readTree(body);
        assertThat(answer.get("Outputs").isEmpty()).isTrue();
        assertThat(answer.get("Logs").toString()).contains("Microsoft.Storage/storageAccounts/write on "
                + ACCOUNT_LOGS + " by ada@contoso.example");
        JsonNode publicAccess = findingOf(answer.get("ReturnValue"), "storage-no-public-access");
        assertThat(publicAccess.at("/resource/id").asText()).isEqualTo(ACCOUNT_LOGS);
        assertThat(publicAccess.at("/actor/kind").asText()).isEqualTo("user");
        assertThat(publicAccess.at("/actor/name").asText()).isEqualTo("ada@contoso.example");
        assertThat(publicAccess.at("/actor/id").asText()).isEqualTo("1f2e3d4c-5b6a-4798-8776-655443322110");

        // stored: the finding, the re-collected resource in the latest snapshot, the audit record with the caller
        List<Finding> stored = cw.repository().latestFindings().orElseThrow().findings();
        assertThat(stored).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("storage-no-public-access");
            assertThat(f.resource().id()).isEqualTo(ACCOUNT_LOGS);
        });
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources())
                .anySatisfy(r -> assertThat(r.id()).isEqualTo(ACCOUNT_LOGS));
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("event");
            assertThat(r.subject()).isEqualTo(ACCOUNT_LOGS);
            assertThat(r.actor().name()).isEqualTo("ada@contoso.example");
        });

        // detection does not act: it queued a remediation request for the public account on the Storage Queue
        List<JsonNode> queued = QueueMessages.sent(queue);
        assertThat(queued.subList(queuedBefore, queued.size())).anySatisfy(m -> {
            assertThat(m.path("type").asText()).isEqualTo(RemediationRequest.TYPE);
            assertThat(m.path("subject").asText()).isEqualTo(ACCOUNT_LOGS);
            assertThat(m.at("/data/plan/action").asText()).isEqualTo("storage.bucket/block-public-access");
            assertThat(m.at("/data/trigger").asText()).isEqualTo("4b5c6d7e-8f90-4a1b-b2c3-d4e5f6a7b8c9");
        });
    }

    @Test
    void aRedeliveredEventIsSkippedAsADuplicate() throws Exception {
        String invocation = fixture("envelopes/eventgrid-invocation-eventgrid-schema.json")
                .replace("4b5c6d7e-8f90-4a1b-b2c3-d4e5f6a7b8c9", "4b5c6d7e-8f90-4a1b-b2c3-00000000dup1");
        given().contentType(ContentType.JSON).body(invocation).post("/eventgrid").then().statusCode(200);
        int queuedAfterFirst = QueueMessages.sent(queue).size();

        String body = given().contentType(ContentType.JSON).body(invocation).post("/eventgrid")
                .then().statusCode(200).extract().asString();

        JsonNode answer = ModelJson.mapper().readTree(body);
        assertThat(answer.at("/ReturnValue/duplicates").toString()).contains("4b5c6d7e-8f90-4a1b-b2c3-00000000dup1");
        assertThat(answer.at("/ReturnValue/findings").isEmpty()).isTrue();
        assertThat(answer.get("Logs").toString()).contains("duplicate delivery skipped");
        assertThat(QueueMessages.sent(queue)).hasSize(queuedAfterFirst);
    }

    @Test
    void anArmWriteInTheCloudEventsSchemaHandedOverAsAStringIsParsedAndReCollected() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .body(fixture("envelopes/eventgrid-invocation-cloudevents-schema.json"))
                .when().post("/eventgrid")
                .then().statusCode(200).extract().asString();

        JsonNode answer = ModelJson.mapper().readTree(body);
        JsonNode event = answer.at("/ReturnValue/events/0");
        assertThat(event.path("id").asText()).isEqualTo(ACCOUNT_DATA);
        assertThat(event.path("eventId").asText()).isEqualTo("8f9012a3-4567-4e7f-b081-9cad1e2f3a4b");
        assertThat(event.at("/actor/kind").asText()).isEqualTo("service");
        assertThat(event.at("/actor/via").asText()).isEqualTo("appid:6f7a8b9c-0d1e-4f2a-3b4c-5d6e7f8a9b0c");
        // the private account passes the public-access rule; the findings it has still name the service principal
        JsonNode findings = answer.at("/ReturnValue/findings");
        assertThat(findings.toString()).doesNotContain("storage-no-public-access");
        findings.forEach(f -> assertThat(f.at("/actor/id").asText())
                .isEqualTo("5e4d3c2b-1a09-48f7-a6b5-c4d3e2f1a0b9"));
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources())
                .anySatisfy(r -> assertThat(r.id()).isEqualTo(ACCOUNT_DATA));
    }

    @Test
    void aSubscriptionValidationEventReachingTheFunctionIsAnsweredWithItsCode() throws Exception {
        JsonNode validation = ModelJson.mapper().readTree(fixture("envelopes/http-eventgrid-validation.json")).get(0);
        String invocation = "{\"Data\": {\"event\": " + validation + "}, \"Metadata\": {}}";

        given().contentType(ContentType.JSON).body(invocation).post("/eventgrid")
                .then().statusCode(200)
                .body("ReturnValue.validationResponse",
                        org.hamcrest.Matchers.equalTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));
    }

    @Test
    void anEventOnAResourceAzureRefusesToShowFailsTheInvocationSoEventGridRetriesIt() {
        String denied = fixture("envelopes/eventgrid-invocation-eventgrid-schema.json")
                .replace(ACCOUNT_LOGS, RecordedAzure.ACCOUNT_DENIED)
                .replace("4b5c6d7e-8f90-4a1b-b2c3-d4e5f6a7b8c9", "4b5c6d7e-8f90-4a1b-b2c3-0000000denied");

        given().contentType(ContentType.JSON).body(denied).post("/eventgrid")
                .then().statusCode(502)
                .body("Logs[0]", org.hamcrest.Matchers.containsString("Microsoft.Storage/storageAccounts/read"))
                .body("Logs[0]", org.hamcrest.Matchers.containsString("AuthorizationFailed"));
        // Event Grid's redelivery is processed again (and fails again), not skipped as a duplicate
        given().contentType(ContentType.JSON).body(denied).post("/eventgrid")
                .then().statusCode(502);
    }

    @Test
    void anInvocationWithoutTheEventBindingFailsNamingTheBinding() {
        given().contentType(ContentType.JSON).body("{\"Data\": {\"eventGridEvent\": {}}, \"Metadata\": {}}")
                .post("/eventgrid")
                .then().statusCode(400)
                .body("Logs[0]", org.hamcrest.Matchers.containsString("Data.event: missing"))
                .body("Logs[0]", org.hamcrest.Matchers.containsString("eventGridEvent"));
    }

    @Test
    void aMalformedEventFailsTheInvocationSoEventGridRedeliversAndDeadLettersIt() {
        String noSubject = "{\"Data\": {\"event\": {\"id\": \"e-1\", \"eventType\": "
                + "\"Microsoft.Resources.ResourceWriteSuccess\", \"eventTime\": \"2026-11-23T10:00:00Z\", "
                + "\"data\": {}}}, \"Metadata\": {}}";
        given().contentType(ContentType.JSON).body(noSubject).post("/eventgrid")
                .then().statusCode(400)
                .body("Logs[0]", org.hamcrest.Matchers.containsString("subject"));
    }

    private static JsonNode findingOf(JsonNode summary, String ruleId) {
        for (JsonNode f : summary.path("findings")) {
            if (f.path("ruleId").asText().equals(ruleId)) {
                return f;
            }
        }
        throw new AssertionError("no " + ruleId + " finding in " + summary.path("findings"));
    }
}
