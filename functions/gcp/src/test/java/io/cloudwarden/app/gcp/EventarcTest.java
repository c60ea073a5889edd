package io.cloudwarden.app.gcp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Finding;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eventarc delivers a Cloud Audit Log entry (someone grants {@code allUsers} on a bucket) as a CloudEvent, in binary
 * mode ({@code ce-*} headers, LogEntry body) and in structured mode; the app re-reads the bucket through the
 * provider's Storage client (WireMock serving recorded responses), stores the finding, and publishes a remediation
 * request to Pub/Sub.
 */
@QuarkusTest
@WithTestResource(GoogleApis.class)
class EventarcTest {
    static final String BUCKET_ID = "//storage.googleapis.com/cw-demo-public-assets";
    static final String INSERT_ID = "1x9v8kqe4m2c";

    @Inject
    Cloudwarden cw;

    /** The binary-mode request as Eventarc sends it, its insertId / ce-id made unique to this test. */
    static Response postBinary(String path, String insertId) {
        var spec = given();
        for (var h : Fixtures.headers("eventarc-binary-storage-set-iam.headers").entrySet()) {
            spec = spec.header(h.getKey(), h.getValue().replace(INSERT_ID, insertId));
        }
        return spec.body(Fixtures.envelope("eventarc-binary-storage-set-iam.json").replace(INSERT_ID, insertId))
                .post(path);
    }

    @Test
    void aBinaryModeAuditLogEventYieldsAFindingNamingWhoMadeTheBucketPublic() {
        String insertId = INSERT_ID + "-binary";
        postBinary("/", insertId).then().statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].id", equalTo(BUCKET_ID))
                .body("events[0].eventId", equalTo(insertId))
                .body("events[0].action", equalTo("storage.googleapis.com:storage.setIamPermissions"))
                .body("events[0].actor.id", equalTo("alice@example.com"))
                .body("findings.ruleId", hasItem("storage-no-public-access"))
                .body("findings.find { it.ruleId == 'storage-no-public-access' }.message",
                        containsString("publicAccess=true"))
                .body("remediationRequests", equalTo(1));

        List<Finding> stored = cw.repository().latestFindings().orElseThrow().findings();
        assertThat(stored).filteredOn(f -> f.resource().id().equals(BUCKET_ID))
                .extracting(Finding::ruleId).contains("storage-no-public-access");
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("event");
            assertThat(r.actor().id()).isEqualTo("alice@example.com");
            assertThat(r.details().path("eventId").asText()).isEqualTo(insertId);
        });
        List<JsonNode> sent = publishedFor(insertId);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).path("type").asText()).isEqualTo("io.cloudwarden.remediation.requested.v1");
        assertThat(sent.get(0).path("subject").asText()).isEqualTo(BUCKET_ID);
        assertThat(sent.get(0).at("/data/plan/action").asText()).isEqualTo("storage.bucket/block-public-access");
        assertThat(sent.get(0).at("/data/plan/requestedBy/id").asText()).isEqualTo("alice@example.com");
    }

    @Test
    void aStructuredModeCloudEventOnTheEventsRouteIsHandledTheSameWay() {
        String insertId = INSERT_ID + "-structured";
        given().contentType("application/cloudevents+json; charset=UTF-8")
                .body(Fixtures.envelope("eventarc-structured-storage-set-iam.json").replace(INSERT_ID, insertId))
                .post("/events/gcp")
                .then().statusCode(200)
                .body("events[0].id", equalTo(BUCKET_ID))
                .body("events[0].eventId", equalTo(insertId))
                .body("events[0].actor.id", equalTo("alice@example.com"))
                .body("findings.ruleId", hasItem("storage-no-public-access"))
                .body("remediationRequests", equalTo(1));
        assertThat(publishedFor(insertId)).hasSize(1);
    }

    @Test
    void theSameEntryDeliveredTwiceIsActedOnOnce() {
        String insertId = INSERT_ID + "-redelivered";
        postBinary("/events/gcp", insertId).then().statusCode(200).body("duplicates", empty());
        int requestsAfterFirst = GoogleApis.server().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(GoogleApis.BUCKET))).size();

        postBinary("/events/gcp", insertId).then().statusCode(200)
                .body("duplicates", equalTo(List.of(insertId)))
                .body("findings", empty())
                .body("remediationRequests", equalTo(0));

        assertThat(publishedFor(insertId)).hasSize(1);
        assertThat(GoogleApis.server().findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(GoogleApis.BUCKET))))
                .hasSize(requestsAfterFirst);
    }

    @Test
    void aReadOnlyCallIsAcknowledgedAndIgnoredWithItsReason() {
        given().contentType("application/cloudevents+json")
                .body(Fixtures.envelope("eventarc-structured-read-only.json"))
                .post("/")
                .then().statusCode(200)
                .body("events", empty())
                .body("ignored[0]", containsString("read-only"));
    }

    @Test
    void aMalformedEntryIsRejectedNamingTheField() {
        given().contentType("application/cloudevents+json")
                .body(Fixtures.envelope("malformed-missing-method.json"))
                .post("/events/gcp")
                .then().statusCode(400)
                .body("error", containsString("data.protoPayload.methodName"));
    }

    @Test
    void aBodyThatIsNotJsonIsRejected() {
        given().contentType("application/json").body("{not json").post("/")
                .then().statusCode(400).body("error", containsString("body: expected JSON"));
    }

    static List<JsonNode> publishedFor(String trigger) {
        return GoogleApis.published().stream().filter(e -> e.at("/data/trigger").asText().equals(trigger)).toList();
    }
}
