package io.cloudwarden.app.gcp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.cloudwarden.functions.Cloudwarden;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pub/Sub push deliveries to {@code POST /pubsub}: a log-sink message (a Cloud Audit Log entry) takes the event path;
 * a Cloudwarden work item (a remediation request CloudEvent) goes to the batch runner, and a failing item answers
 * non-2xx so Pub/Sub redelivers it and finally dead-letters it. Every push carries the subscription's OIDC token.
 */
@QuarkusTest
@WithTestResource(GoogleApis.class)
class PubSubPushTest {
    @Inject
    Cloudwarden cw;

    @Test
    void aLogSinkMessageIsHandledAsAnAuditLogEvent() {
        String insertId = "1x9v8kqe4m2c-sink";
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body(Fixtures.pushWithDataReplaced("pubsub-push-audit-sink-storage-set-iam.json", "1x9v8kqe4m2c",
                        insertId))
                .post("/pubsub")
                .then().statusCode(200)
                .body("events[0].id", equalTo(EventarcTest.BUCKET_ID))
                .body("events[0].eventId", equalTo(insertId))
                .body("events[0].actor.id", equalTo("alice@example.com"))
                .body("findings.ruleId", hasItem("storage-no-public-access"))
                .body("remediationRequests", equalTo(1));
        assertThat(EventarcTest.publishedFor(insertId)).hasSize(1);
    }

    @Test
    void aRemediationWorkItemIsReplannedAndAcknowledged() {
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body(Fixtures.envelope("pubsub-push-work-item.json"))
                .post("/pubsub")
                .then().statusCode(200)
                .body("messageId", equalTo("13254985012840112"))
                .body("processed", equalTo(1));

        // re-read through Storage, re-planned, and stored awaiting approval (the rule's mode): nothing applied
        assertThat(cw.executor().plans().find("p-3c7e19a0b4d25f68")).hasValueSatisfying(p ->
                assertThat(p.status()).isEqualTo("awaiting-approval"));
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("remediation.plan");
            assertThat(r.subject()).isEqualTo(EventarcTest.BUCKET_ID);
            assertThat(r.details().path("planId").asText()).isEqualTo("p-3c7e19a0b4d25f68");
        });
        assertThat(cw.audit().read()).noneSatisfy(r -> assertThat(r.action()).isEqualTo("remediation.apply"));

        // a redelivery of the same message is acknowledged without planning twice
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body(Fixtures.envelope("pubsub-push-work-item.json"))
                .post("/pubsub")
                .then().statusCode(200);
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("remediation.plan")
                && r.details().path("planId").asText().equals("p-3c7e19a0b4d25f68")).hasSize(1);
    }

    @Test
    void aScanRequestWorkItemScansTheNamedTypes() {
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body(Fixtures.envelope("pubsub-push-scan-requested.json"))
                .post("/pubsub")
                .then().statusCode(200).body("processed", equalTo(1));
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("scan");
            assertThat(r.subject()).isEqualTo("scan:queue:scan-2026-11-23T06:00:00Z");
        });
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources()).extracting(r -> r.id())
                .contains("//storage.googleapis.com/cw-demo-audit-logs");
    }

    @Test
    void aWorkItemThatCannotBeProcessedIsNackedSoPubSubRedeliversIt() {
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body(Fixtures.envelope("pubsub-push-work-item-unknown-action.json"))
                .post("/pubsub")
                .then().statusCode(500)
                .body("messageId", equalTo("13254985012840113"))
                .body("deliveryAttempt", equalTo(3))
                .body("error", containsString("storage.bucket/delete-everything"));
        assertThat(cw.executor().plans().find("p-91d0e2f4a6b8c0d2")).isEmpty();
    }

    @Test
    void aPushThatIsNotAPubSubEnvelopeIsRejectedNamingTheField() {
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body("{\"subscription\": \"projects/cw-demo-prod/subscriptions/cloudwarden-work-push\"}")
                .post("/pubsub")
                .then().statusCode(400).body("error", containsString("message"));
        given().header("Authorization", Tokens.bearer(Tokens.valid())).contentType("application/json")
                .body("{\"message\": {\"messageId\": \"1\", \"data\": \"%%%\"}, \"subscription\": \"s\"}")
                .post("/pubsub")
                .then().statusCode(400).body("error", containsString("message.data"));
    }

    @Test
    void aPushWithoutTheSubscriptionsTokenIsRefused() {
        given().contentType("application/json").body(Fixtures.envelope("pubsub-push-work-item.json"))
                .post("/pubsub")
                .then().statusCode(401).body("error", containsString("Authorization"));
        String otherAudience = Tokens.google("https://elsewhere.example.com/push", GoogleApis.INVOKER,
                Instant.now().plusSeconds(600));
        given().header("Authorization", Tokens.bearer(otherAudience)).contentType("application/json")
                .body(Fixtures.envelope("pubsub-push-work-item.json"))
                .post("/pubsub")
                .then().statusCode(403).body("error", containsString("audience"));
    }
}
