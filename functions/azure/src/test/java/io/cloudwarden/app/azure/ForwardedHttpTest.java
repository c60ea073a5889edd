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
                .body("checks[0].store", containsString("cw-azure-fn-state"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'state' }.status", equalTo("UP"));
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
    void badRequestsAreAnsweredByTheGatewayWithoutStackTraces() {
        given().contentType(ContentType.JSON).body("{\"types\": [\"storage.nope\"]}").post("/api/scan")
                .then().statusCode(400).body("error", containsString("types: expected one of"));
        given().contentType(ContentType.JSON).body("[{\"eventType\": ").post("/api/events/azure")
                .then().statusCode(400).body("error", containsString("body: expected JSON"));
        given().get("/api/nowhere").then().statusCode(404).body("error", containsString("no such route"));
    }
}
