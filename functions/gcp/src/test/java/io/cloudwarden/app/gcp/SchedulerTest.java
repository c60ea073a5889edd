package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.JsonLogLines;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cloud Scheduler's HTTP target calls {@code POST /schedule} with its {@code X-CloudScheduler-*} headers and an OIDC
 * token: a full GCP scan (Cloud Asset Inventory on WireMock), once per job and scheduled time.
 */
@QuarkusTest
@WithTestResource(GoogleApis.class)
class SchedulerTest {
    /** Cloud Logging's LogSeverity names. */
    static final List<String> CLOUD_LOGGING_SEVERITIES = List.of("DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING",
            "ERROR", "CRITICAL", "ALERT", "EMERGENCY");

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
    void aCompletedScanLogsOneCloudLoggingSummaryLineLinkedToTheCloudRunTrace() {
        String traceId = String.format("%032x", System.nanoTime());
        String time = "2026-11-21T02:00:00.000Z";
        Instant before = Instant.now().minusMillis(1);

        tick(time, Tokens.valid()).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        List<JsonNode> lines = JsonLogLines.read(Path.of("target/json-log-lines.log"));
        // every line since the app started (the boot lines before the first start-up observer excepted) is Cloud
        // Logging's structured JSON: its severity names, no nested log context
        List<JsonNode> recent = lines.stream().filter(l -> !Instant.parse(l.path("time").asText()).isBefore(before))
                .toList();
        assertThat(recent).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("severity").asText()).as("%s", l).isIn(CLOUD_LOGGING_SEVERITIES);
            assertThat(l.path("message").isTextual() && l.path("logger").isTextual()).as("%s", l).isTrue();
            assertThat(l.has("mdc")).as("%s", l).isFalse();
        });
        List<JsonNode> summary = recent.stream()
                .filter(l -> traceId.equals(l.path("requestId").asText()))
                .filter(l -> "scan.summary".equals(l.path("event").asText())).toList();
        assertThat(summary).hasSize(1);
        JsonNode line = summary.get(0);
        assertThat(line.path("severity").asText()).isEqualTo("INFO");
        assertThat(line.path("logging.googleapis.com/trace").asText()).isEqualTo("projects/cw-demo/traces/"
                + traceId);
        assertThat(line.path("logging.googleapis.com/spanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(line.path("cloud").asText()).isEqualTo("gcp");
        assertThat(line.path("trigger").asText()).isEqualTo("schedule:cloudwarden-nightly-scan@" + time);
        assertThat(line.path("resources").asText()).isEqualTo("2");
        assertThat(Integer.parseInt(line.path("findings").asText())).isPositive();
        assertThat(line.path("message").asText()).contains("2 resources");
    }

    @Test
    void aRequestCarryingOnlyXCloudTraceContextIsLinkedByItsDecimalSpanInHex() {
        String traceId = String.format("%032x", System.nanoTime());
        String time = "2026-11-20T02:00:00.000Z";

        tick(time, Tokens.valid()).header("X-Cloud-Trace-Context", traceId + "/12345;o=1")
                .post("/schedule").then().statusCode(200).body("duplicate", equalTo(false));

        List<JsonNode> summary = JsonLogLines.read(Path.of("target/json-log-lines.log")).stream()
                .filter(l -> traceId.equals(l.path("requestId").asText()))
                .filter(l -> "scan.summary".equals(l.path("event").asText())).toList();
        assertThat(summary).singleElement().satisfies(l -> {
            assertThat(l.path("logging.googleapis.com/trace").asText()).isEqualTo("projects/cw-demo/traces/"
                    + traceId);
            assertThat(l.path("logging.googleapis.com/spanId").asText()).isEqualTo("0000000000003039");
        });
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
