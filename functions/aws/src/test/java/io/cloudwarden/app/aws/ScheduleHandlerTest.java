package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code schedule} Lambda: a full AWS scan per tick, once per (job, scheduled time), over recorded AWS. */
@QuarkusTest
@TestProfile(Profiles.Schedule.class)
class ScheduleHandlerTest {
    @InjectWireMock
    WireMockServer wm;

    @Inject
    Cloudwarden cw;

    @BeforeEach
    void reset() {
        wm.resetAll();
        Recorded.stubEstate(wm);
        Recorded.stubSqsSendMessage(wm);
    }

    @Test
    void theSchedulerInputScansTheWholeEstateOnceAndARetriedTickOfTheSameSlotIsADuplicate() {
        JsonNode first = Lambda.result(Recorded.envelope("scheduler-input.json"));

        assertThat(first.path("job").asText()).isEqualTo("cloudwarden-hourly-scan");
        assertThat(first.path("tick").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(first.path("duplicate").asBoolean()).isFalse();
        assertThat(first.path("partial").asBoolean()).as("errors: %s", first.path("errors")).isFalse();
        Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
        assertThat(first.path("resources").asInt()).isEqualTo(snapshot.resources().size());
        assertThat(snapshot.resources()).extracting(Resource::id).contains("arn:aws:s3:::cw-public-assets",
                "arn:aws:s3:::cw-legacy-acl", Recorded.WEB_GROUP_ARN, "arn:aws:iam::111122223333:user/alice",
                "AKIAIOSFODNN7ALICE01", "arn:aws:kms:us-east-1:111122223333:key/5f8e7d6c-5b4a-4392-8170-fedcba987654");
        assertThat(first.path("findings").asInt()).isPositive()
                .isEqualTo(cw.repository().latestFindings().orElseThrow().findings().size());
        assertThat(first.path("findingsBySeverity").path("high").asInt()).isPositive();
        assertThat(cw.audit().read()).filteredOn(r -> r.action().equals("scan")).extracting(AuditRecord::subject)
                .contains("scan:schedule:cloudwarden-hourly-scan@2026-11-23T10:00:00Z");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()));
        // detection mutates nothing: every planned fix went to the work queue as one message
        int requests = first.path("remediationRequests").asInt();
        assertThat(requests).isPositive();
        wm.verify(requests, postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .withRequestBody(matchingJsonPath("$.MessageAttributes.cloudwarden-plan-key.StringValue")));
        wm.verify(0, putRequestedFor(urlPathMatching("/cw-.*")));

        JsonNode retried = Lambda.result(Recorded.envelope("scheduler-input-retry.json"));

        assertThat(retried.path("duplicate").asBoolean()).isTrue();
        assertThat(retried.has("resources")).isFalse();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()));
    }

    @Test
    void eachInvocationWritesItsMetricsAsEmbeddedMetricFormatLines() throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        JsonNode r;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r = Lambda.result("{\"job\":\"metrics-check\",\"scheduledTime\":\"2026-11-23T11:00:00Z\"}");
        } finally {
            System.setOut(stdout);
        }

        java.util.List<JsonNode> emf = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("{\"_aws\"")).map(Lambda::json).toList();
        assertThat(emf).isNotEmpty().allSatisfy(line -> {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Cloudwarden");
            assertThat(directive.path("Dimensions").get(0).isEmpty()).as("the undimensioned total").isTrue();
            directive.path("Metrics").forEach(m -> assertThat(line.path(m.path("Name").asText()).isNumber())
                    .as(m.toString()).isTrue());
        });
        long scanned = emf.stream().mapToLong(l -> l.path(
                io.cloudwarden.functions.telemetry.CloudwardenMetrics.RESOURCES_SCANNED).asLong(0)).sum();
        assertThat(scanned).isPositive().isEqualTo(r.path("resources").asLong());
        long findings = emf.stream().mapToLong(l -> l.path(
                io.cloudwarden.functions.telemetry.CloudwardenMetrics.FINDINGS).asLong(0)).sum();
        assertThat(findings).isEqualTo(r.path("findings").asLong());
    }

    @Test
    void anEventBridgeRuleTickIsNamedAfterTheRuleAndTimedByTheEnvelope() {
        JsonNode r = Lambda.result(Recorded.envelope("eventbridge-scheduled-event.json"));

        assertThat(r.path("job").asText()).isEqualTo("cloudwarden-nightly-scan");
        assertThat(r.path("tick").asText()).isEqualTo("2026-11-23T02:00:00Z");
        assertThat(r.path("duplicate").asBoolean()).isFalse();
        assertThat(r.path("resources").asInt()).isPositive();
    }

    @Test
    void theSchedulerDefaultEnvelopeWithItsStringDetailIsATickOfTheSchedule() {
        JsonNode r = Lambda.result(Recorded.envelope("scheduler-default-envelope.json"));

        assertThat(r.path("job").asText()).isEqualTo("default/cloudwarden-morning-scan");
        assertThat(r.path("tick").asText()).isEqualTo("2026-11-23T06:00:00Z");
        assertThat(r.path("duplicate").asBoolean()).isFalse();
    }

    @Test
    void aCompletedScanLogsOneJsonSummaryLineCarryingTheLambdaRequestId() {
        String requestId = "5f3c9a7e-log-lines-" + System.nanoTime();
        // the recorded Scheduler input, moved to a slot of its own (the other tests claim theirs)
        String tick = Recorded.envelope("scheduler-input.json").replace("2026-11-23T10:00:00Z",
                "2026-11-23T23:00:00Z");

        JsonNode r = Lambda.result(io.restassured.RestAssured.given().header("Lambda-Runtime-Aws-Request-Id",
                requestId), tick);

        // every line the app wrote parses; the invocation's lines carry its request id
        java.util.List<JsonNode> lines = io.cloudwarden.testkit.JsonLogLines.read(
                java.nio.file.Path.of("target/json-log-lines.log"));
        assertThat(lines).allSatisfy(l -> assertThat(l.path("severity").isTextual() && l.path("time").isTextual()
                && l.has("logger") && l.has("message") && !l.has("hostName")).as("%s", l).isTrue());
        java.util.List<JsonNode> summary = lines.stream()
                .filter(l -> requestId.equals(l.path("mdc").path("requestId").asText()))
                .filter(l -> "scan.summary".equals(l.path("mdc").path("event").asText())).toList();
        assertThat(summary).hasSize(1);
        JsonNode mdc = summary.get(0).path("mdc");
        assertThat(summary.get(0).path("severity").asText()).isEqualTo("INFO");
        assertThat(mdc.path("cloud").asText()).isEqualTo("aws");
        assertThat(mdc.path("trigger").asText()).isEqualTo("schedule:cloudwarden-hourly-scan@2026-11-23T23:00:00Z");
        assertThat(mdc.path("resources").asText()).isEqualTo(r.path("resources").asText());
        assertThat(mdc.path("findings").asText()).isEqualTo(r.path("findings").asText());
        assertThat(mdc.path("findings.high").asText()).isEqualTo(r.path("findingsBySeverity").path("high").asText());
        assertThat(Integer.parseInt(mdc.path("shards.read").asText())).isPositive();
        assertThat(mdc.path("shards.unread").asText()).isEqualTo("0");
        assertThat(Long.parseLong(mdc.path("durationMs").asText())).isNotNegative();
    }

    @Test
    void anUnsubstitutedPlaceholderFailsTheInvocationNamingTheFieldAndScansNothing() {
        Response r = Lambda.invoke(Recorded.envelope("scheduler-input-bad-time.json"));

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(Lambda.json(r.asString()).path("errorMessage").asText())
                .startsWith("scheduledTime: expected an ISO-8601 UTC time")
                .endsWith("but was '<aws.scheduler.scheduled-time>'");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
