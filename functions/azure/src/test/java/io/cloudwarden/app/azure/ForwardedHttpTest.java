package io.cloudwarden.app.azure;

import static io.cloudwarden.app.azure.RecordedAzure.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The httpTrigger function with {@code enableForwardingHttpRequest}: the host forwards the caller's request at its
 * public path ({@code /api/...}) and the core gateway answers it.
 */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
class ForwardedHttpTest {

    @Test
    void healthAnswersThroughTheFunctionAndOnQuarkusOwnEndpoint() {
        given().get("/api/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks", org.hamcrest.Matchers.nullValue());
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'state' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'state' }.data", org.hamcrest.Matchers.nullValue())
                .body(org.hamcrest.Matchers.not(containsString("cw-azure-fn-state")));
    }

    @Test
    void eventGridSubscriptionValidationIsAnsweredWithTheValidationCode() {
        given().contentType("application/json; charset=utf-8")
                .header("aeg-event-type", "SubscriptionValidation")
                .header("aeg-subscription-name", "CLOUDWARDEN")
                .body(fixture("envelopes/http-eventgrid-validation.json"))
                .post("/api/events/azure")
                .then().statusCode(200)
                .body("validationResponse", equalTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));
    }

    @Test
    void withoutForwardingTheRequestArrivesAsAnInvocationAndTheAnswerGoesToTheResOutput() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode inv = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.cloudwarden.model.ModelJson.mapper().readTree(fixture("envelopes/http-invocation-validation.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) inv.at("/Data/req")).put("Body",
                fixture("envelopes/http-eventgrid-validation.json"));

        given().contentType(ContentType.JSON).body(inv.toString()).post("/http")
                .then().statusCode(200)
                .body("Outputs.res.statusCode", equalTo(200))
                .body("Outputs.res.headers.content-type", equalTo("application/json"))
                .body("Outputs.res.body", containsString("\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\""));
    }

    @Test
    void theCloudEventsAbuseProtectionHandshakeAllowsTheRequestingOrigin() {
        given().header("WebHook-Request-Origin", "eventgrid.azure.net")
                .options("/api/events/azure")
                .then().statusCode(200)
                .header("WebHook-Allowed-Origin", "eventgrid.azure.net")
                .header("WebHook-Allowed-Rate", "*");
    }

    @Test
    void scanCollectsTheRecordedSubscription() {
        given().contentType(ContentType.JSON).header("x-request-id", "req-forwarded-1")
                .body("{\"clouds\": [\"azure\"], \"types\": [\"storage.bucket\"]}")
                .post("/api/scan")
                .then().statusCode(200)
                .body("resources", greaterThanOrEqualTo(2))
                .body("errors", hasSize(0))
                .body("findings", greaterThanOrEqualTo(1));
    }

    @Test
    void aSignedSlackCommandIsForwardedWithItsRawBytesSoTheSignatureHolds() throws Exception {
        String form = "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705"
                + "&channel_name=cloud-ops&user_id=U2147483697&user_name=ada&command=%2Fcloudwarden&text=help"
                + "&api_app_id=A123456&is_enterprise_install=false"
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"
                + "&trigger_id=13345224609.738474920.8088930838d88f008e0";
        String ts = String.valueOf(java.time.Instant.now().getEpochSecond());

        given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", slackSignature(ts, form))
                .body(form)
                .post("/api/chatops/slack")
                .then().statusCode(200);

        String ts2 = String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Slack-Request-Timestamp", ts2).header("X-Slack-Signature", slackSignature(ts2, form))
                .body(form.replace("text=help", "text=approve+p-1"))
                .post("/api/chatops/slack")
                .then().statusCode(401);
    }

    private static String slackSignature(String ts, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(RecordedAzure.SLACK_SECRET.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void badRequestsAreAnsweredByTheGatewayWithoutStackTraces() {
        given().contentType(ContentType.JSON).body("{\"types\": [\"storage.nope\"]}").post("/api/scan")
                .then().statusCode(400).body("error", containsString("types: expected one of"));
        given().contentType(ContentType.JSON).body("[{\"eventType\": ").post("/api/events/azure")
                .then().statusCode(400).body("error", containsString("body: expected JSON"));
        given().get("/api/nowhere").then().statusCode(404).body("error", containsString("no such route"));
        // outside the function routes JAX-RS answers itself
        given().get("/nowhere").then().statusCode(404);
        given().get("/timer").then().statusCode(405);
    }
}
