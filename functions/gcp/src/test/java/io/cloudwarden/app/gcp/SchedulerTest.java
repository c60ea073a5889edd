package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cloud Scheduler's HTTP target calls {@code POST /schedule} with its {@code X-CloudScheduler-*} headers and an OIDC
 * token: a full GCP scan (Cloud Asset Inventory on WireMock), once per job and scheduled time.
 */
@QuarkusTest
@WithTestResource(GoogleApis.class)
class SchedulerTest {
    @Inject
    Cloudwarden cw;

    static RequestSpecification tick(String scheduleTime, String token) {
        RequestSpecification spec = given();
        for (Map.Entry<String, String> h : Fixtures.headers("scheduler-nightly-scan.headers").entrySet()) {
            spec = spec.header(h.getKey(), h.getKey().equals("X-CloudScheduler-ScheduleTime") ? scheduleTime
                    : h.getValue());
        }
        if (token != null) {
            spec = spec.header("Authorization", Tokens.bearer(token));
        }
        return spec.body(Fixtures.envelope("scheduler-nightly-scan.json"));
    }

    @Test
    void aTickScansTheProjectAndTheSameTickAgainIsSkipped() {
        String time = "2026-11-23T02:00:00.000Z";
        tick(time, Tokens.valid()).post("/schedule").then().statusCode(200)
                .body("job", equalTo("cloudwarden-nightly-scan"))
                .body("tick", equalTo(time))
                .body("duplicate", equalTo(false))
                .body("resources", equalTo(2))
                .body("findings", greaterThan(0))
                .body("remediationRequests", greaterThan(0));
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources())
                .extracting(r -> r.id()).contains("//storage.googleapis.com/cw-demo-public-assets",
                        "//storage.googleapis.com/cw-demo-audit-logs");
        assertThat(cw.audit().read()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("scan");
            assertThat(r.subject()).isEqualTo("scan:schedule:cloudwarden-nightly-scan@" + time);
        });
        int listings = GoogleApis.server().findAll(getRequestedFor(urlPathEqualTo(GoogleApis.ASSETS))).size();

        tick(time, Tokens.valid()).post("/schedule").then().statusCode(200)
                .body("duplicate", equalTo(true));
        assertThat(GoogleApis.server().findAll(getRequestedFor(urlPathEqualTo(GoogleApis.ASSETS)))).hasSize(listings);
    }

    @Test
    void aCompletedScanLogsOneJsonSummaryLineCarryingTheCloudRunTrace() {
        String traceId = String.format("%032x", System.nanoTime());
        String time = "2026-11-21T02:00:00.000Z";

        tick(time, Tokens.valid()).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = io.cloudwarden.testkit.JsonLogLines.read(
                java.nio.file.Path.of("target/json-log-lines.log"));
        assertThat(lines).allSatisfy(l -> assertThat(l.path("severity").isTextual() && l.path("time").isTextual()
                && l.has("logger") && l.has("message")).as("%s", l).isTrue());
        java.util.List<com.fasterxml.jackson.databind.JsonNode> summary = lines.stream()
                .filter(l -> traceId.equals(l.path("mdc").path("requestId").asText()))
                .filter(l -> "scan.summary".equals(l.path("mdc").path("event").asText())).toList();
        assertThat(summary).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode mdc = summary.get(0).path("mdc");
        assertThat(mdc.path("logging.googleapis.com/trace").asText()).isEqualTo("projects/cw-demo/traces/"
                + traceId);
        assertThat(mdc.path("cloud").asText()).isEqualTo("gcp");
        assertThat(mdc.path("trigger").asText()).isEqualTo("schedule:cloudwarden-nightly-scan@" + time);
        assertThat(mdc.path("resources").asText()).isEqualTo("2");
        assertThat(Integer.parseInt(mdc.path("findings").asText())).isPositive();
    }

    @Test
    void aTokenForAnotherAudienceIsForbidden() {
        String token = Tokens.google("https://cloudwarden-gcp-other-uc.a.run.app", GoogleApis.INVOKER,
                Instant.now().plusSeconds(3600));
        tick("2026-11-23T03:00:00Z", token).post("/schedule").then().statusCode(403)
                .body("error", containsString("audience"));
    }

    @Test
    void aTokenOfAnotherServiceAccountIsForbidden() {
        String token = Tokens.google(GoogleApis.AUDIENCE, "someone@other-project.iam.gserviceaccount.com",
                Instant.now().plusSeconds(3600));
        tick("2026-11-23T03:00:00Z", token).post("/schedule").then().statusCode(403)
                .body("error", containsString("identity"));
    }

    @Test
    void aMissingExpiredOrForeignTokenIsUnauthorized() {
        tick("2026-11-23T03:00:00Z", null).post("/schedule").then().statusCode(401);
        tick("2026-11-23T03:00:00Z", Tokens.google(GoogleApis.AUDIENCE, GoogleApis.INVOKER,
                Instant.now().minusSeconds(7200))).post("/schedule").then().statusCode(401)
                .body("error", containsString("expired"));
        ObjectNode foreign = ModelJson.mapper().createObjectNode().put("aud", GoogleApis.AUDIENCE)
                .put("iss", "https://sts.windows.net/72f988bf/").put("exp", Instant.now().plusSeconds(600)
                        .getEpochSecond());
        tick("2026-11-23T03:00:00Z", Tokens.jwt(foreign)).post("/schedule").then().statusCode(401)
                .body("error", containsString("issuer"));
        tick("2026-11-23T03:00:00Z", "not-a-jwt").post("/schedule").then().statusCode(401)
                .body("error", containsString("not a JWT"));
        assertThat(cw.audit().read()).noneSatisfy(r ->
                assertThat(r.subject()).contains("2026-11-23T03:00:00Z"));
    }

    @Test
    void aCallWithoutTheSchedulerHeadersIsRejectedNamingThem() {
        given().header("Authorization", Tokens.bearer(Tokens.valid())).post("/schedule").then().statusCode(400)
                .body("error", containsString("X-CloudScheduler-JobName"));
        given().header("Authorization", Tokens.bearer(Tokens.valid()))
                .header("X-CloudScheduler-JobName", "cloudwarden-nightly-scan")
                .header("X-CloudScheduler-ScheduleTime", "yesterday")
                .post("/schedule").then().statusCode(400)
                .body("error", containsString("X-CloudScheduler-ScheduleTime"));
    }
}
