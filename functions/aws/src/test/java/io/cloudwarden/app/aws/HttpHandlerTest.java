package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.chatops.SlackSignature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code http} Lambda behind a Function URL / HTTP API: payload 2.0 in, {@code {statusCode, ...}} out. */
@QuarkusTest
@TestProfile(Profiles.Http.class)
class HttpHandlerTest {
    @InjectWireMock
    WireMockServer wm;

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    @Test
    void healthAnswers200UpAndNothingAboutTheDeployment() {
        JsonNode r = Lambda.result(Recorded.envelope("http-v2-health.json"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(200);
        assertThat(r.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(r.path("headers").path("content-type").asText()).isEqualTo("application/json");
        JsonNode body = Lambda.json(r.path("body").asText());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.size()).isEqualTo(1);
    }

    @Test
    void anUnknownRouteIs404() {
        JsonNode r = Lambda.result(Recorded.envelope("http-v2-unknown-route.json"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(404);
        assertThat(Lambda.json(r.path("body").asText()).path("error").asText())
                .isEqualTo("no such route: GET /admin");
    }

    @Test
    void aBase64EncodedEventBodyIsDecodedBeforeTheCoreParsesItAndTheResourceIsRecollected() {
        Recorded.stubWebGroupUntilRevoked(wm);

        JsonNode r = Lambda.result(Recorded.envelope("http-v2-events-aws-base64.json"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = Lambda.json(r.path("body").asText());
        assertThat(body.path("events").path(0).path("id").asText()).isEqualTo(Recorded.WEB_GROUP_ARN);
        assertThat(body.path("events").path(0).path("action").asText())
                .isEqualTo("ec2:AuthorizeSecurityGroupIngress");
        assertThat(body.path("findings").findValuesAsText("ruleId")).contains("firewall-no-internet-ssh");
        // re-collected by the event path (and re-read again by the in-process remediation before planning)
        wm.verify(moreThanOrExactly(1), postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=DescribeSecurityGroups"))
                .withRequestBody(containing("GroupId.1=" + Recorded.WEB_GROUP)));
    }

    @Test
    void withoutTheBearerTokenTheEventRouteIs401AndNothingIsCollected() {
        JsonNode r = Lambda.result(Recorded.envelope("http-v2-events-aws-no-token.json"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(401);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aSlackCommandPostedAsBase64IsVerifiedOverTheDecodedFormBodyAndAnswered() {
        JsonNode r = Lambda.result(signedSlackCommand(true));

        assertThat(r.path("statusCode").asInt()).as(r.toString()).isEqualTo(200);
        assertThat(r.path("body").asText()).contains("findings");
    }

    @Test
    void aSlackCommandWithAWrongSignatureIs401() {
        JsonNode r = Lambda.result(signedSlackCommand(false));

        assertThat(r.path("statusCode").asInt()).isEqualTo(401);
        assertThat(Lambda.json(r.path("body").asText()).path("error").asText())
                .isEqualTo("X-Slack-Signature: does not match the body");
    }

    /** Slack's slash-command POST as a Function URL delivers it, signed now over the form body Slack sent. */
    private static String signedSlackCommand(boolean validSignature) {
        String template = Recorded.envelope("http-v2-slack-command.json");
        byte[] form = java.util.Base64.getDecoder().decode(Lambda.json(template).path("body").asText());
        String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
        String signature = new SlackSignature(Profiles.SLACK_SECRET).sign(timestamp, form);
        if (!validSignature) {
            signature = new SlackSignature("another-secret").sign(timestamp, form);
        }
        return template.replace("{{timestamp}}", timestamp).replace("{{signature}}", signature);
    }

    @Test
    void aRestApiV1PayloadIsRefusedWith400NamingTheVersionField() {
        JsonNode r = Lambda.result(Recorded.envelope("apigateway-rest-v1.json"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(400);
        assertThat(Lambda.json(r.path("body").asText()).path("error").asText())
                .startsWith("version: expected \"2.0\"");
    }
}
