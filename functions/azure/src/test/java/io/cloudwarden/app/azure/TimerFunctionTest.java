package io.cloudwarden.app.azure;

import static io.cloudwarden.app.azure.RecordedAzure.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The timerTrigger function fed the invocations the Functions host sends on a schedule tick. */
@QuarkusTest
@WithTestResource(RecordedAzure.class)
class TimerFunctionTest {
    @Inject
    Cloudwarden cw;

    @Test
    void aTickScansAzureOnceAndTheSameTickFiredAgainIsSkipped() throws Exception {
        String tick = "2026-11-23T06:00:00+00:00/2026-11-23T12:00:00+00:00";

        JsonNode first = ModelJson.mapper().readTree(given().contentType(ContentType.JSON)
                .body(fixture("envelopes/timer-invocation.json")).post("/timer")
                .then().statusCode(200).extract().asString());

        assertThat(first.get("Outputs").isEmpty()).isTrue();
        JsonNode scan = first.get("ReturnValue");
        assertThat(scan.path("tick").asText()).isEqualTo(tick);
        assertThat(scan.path("duplicate").asBoolean()).isFalse();
        assertThat(scan.path("errors").asInt()).isZero();
        // two storage accounts, the NSG, the VM and the vault's keys of the recorded subscription
        assertThat(scan.path("resources").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(scan.path("findings").asInt()).isPositive();
        assertThat(first.get("Logs").toString()).contains("scanned azure");
        assertThat(cw.repository().latestSnapshot().orElseThrow().resources())
                .anySatisfy(r -> assertThat(r.name()).isEqualTo("web-nsg"));

        JsonNode again = ModelJson.mapper().readTree(given().contentType(ContentType.JSON)
                .body(fixture("envelopes/timer-invocation.json")).post("/timer")
                .then().statusCode(200).extract().asString());

        assertThat(again.at("/ReturnValue/duplicate").asBoolean()).isTrue();
        assertThat(again.get("Logs").toString()).contains("already ran: skipped");
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")
                && r.subject().equals("scan:schedule:timer@" + tick)).hasSize(1);
    }

    @Test
    void aCompletedScanLogsOneJsonSummaryLineCarryingTheHostsInvocationId() throws Exception {
        String invocationId = "7d1c2b3a-azure-log-" + System.nanoTime();
        // the recorded timer invocation, moved to a slot of its own (the other tests claim theirs)
        String tick = fixture("envelopes/timer-invocation.json")
                .replace("2026-11-23T06:00:00+00:00", "2026-11-21T06:00:00+00:00")
                .replace("2026-11-23T12:00:00+00:00", "2026-11-21T12:00:00+00:00");

        JsonNode answer = ModelJson.mapper().readTree(given().contentType(ContentType.JSON)
                .header(InvocationLogFilter.INVOCATION_ID, invocationId).body(tick).post("/timer")
                .then().statusCode(200).extract().asString());

        java.util.List<JsonNode> lines = io.cloudwarden.testkit.JsonLogLines.read(
                java.nio.file.Path.of("target/json-log-lines.log"));
        assertThat(lines).allSatisfy(l -> assertThat(l.path("severity").isTextual() && l.path("time").isTextual()
                && l.has("logger") && l.has("message")).as("%s", l).isTrue());
        java.util.List<JsonNode> summary = lines.stream()
                .filter(l -> invocationId.equals(l.path("mdc").path("requestId").asText()))
                .filter(l -> "scan.summary".equals(l.path("mdc").path("event").asText())).toList();
        assertThat(summary).hasSize(1);
        JsonNode mdc = summary.get(0).path("mdc");
        assertThat(mdc.path("cloud").asText()).isEqualTo("azure");
        assertThat(mdc.path("trigger").asText()).isEqualTo("schedule:timer@2026-11-21T06:00:00+00:00/"
                + "2026-11-21T12:00:00+00:00");
        assertThat(mdc.path("resources").asText()).isEqualTo(answer.at("/ReturnValue/resources").asText());
        assertThat(mdc.path("findings").asText()).isEqualTo(answer.at("/ReturnValue/findings").asText());
        assertThat(Integer.parseInt(mdc.path("shards.read").asText())).isPositive();
    }

    @Test
    void aPastDueTickStillRunsItsCatchUpScan() throws Exception {
        String late = fixture("envelopes/timer-invocation.json")
                .replace("\"IsPastDue\": false", "\"IsPastDue\": true")
                .replace("2026-11-23T06:00:00+00:00", "2026-11-22T18:00:00+00:00")
                .replace("2026-11-23T12:00:00+00:00", "2026-11-23T00:00:00+00:00");

        JsonNode answer = ModelJson.mapper().readTree(given().contentType(ContentType.JSON).body(late)
                .post("/timer").then().statusCode(200).extract().asString());

        assertThat(answer.at("/ReturnValue/pastDue").asBoolean()).isTrue();
        assertThat(answer.at("/ReturnValue/duplicate").asBoolean()).isFalse();
        assertThat(answer.get("Logs").get(0).asText()).contains("past due");
    }

    @Test
    void theTimerValueMayArriveAsAStringAndWithoutAMonitorTheInvocationMinuteIsTheTick() throws Exception {
        String noMonitor = "{\"Data\": {\"timer\": \"{\\\"Schedule\\\":{\\\"AdjustForDST\\\":true},"
                + "\\\"IsPastDue\\\":false}\"}, \"Metadata\": {\"sys\": {\"MethodName\": \"timer\", "
                + "\"UtcNow\": \"2026-11-23T18:00:00.4411002Z\", \"RandGuid\": \"9e8d7c6b-5a49-4837-a625-1f0e9d8c7b6a\"}}}";

        JsonNode answer = ModelJson.mapper().readTree(given().contentType(ContentType.JSON).body(noMonitor)
                .post("/timer").then().statusCode(200).extract().asString());

        assertThat(answer.at("/ReturnValue/tick").asText()).isEqualTo("2026-11-23T18:00");
    }

    @Test
    void anInvocationWithoutTheTimerBindingFailsNamingIt() {
        given().contentType(ContentType.JSON).body("{\"Data\": {\"myTimer\": {}}, \"Metadata\": {}}")
                .post("/timer").then().statusCode(400)
                .body("Logs[0]", containsString("Data.timer: missing"))
                .body("Logs[0]", containsString("myTimer"));
        given().contentType(ContentType.JSON).body("not json").post("/timer").then().statusCode(400)
                .body("Logs[0]", containsString("body: expected the custom handler invocation JSON"));
    }
}
