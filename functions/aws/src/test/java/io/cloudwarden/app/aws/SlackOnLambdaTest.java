package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.functions.chatops.ChatCommand;
import io.cloudwarden.functions.chatops.ChatWork;
import io.cloudwarden.functions.chatops.SlackSignature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On Lambda a long Slack command (here {@code scan}) is answered at once and its work handed to the SQS work queue
 * as a {@code io.cloudwarden.chatops.requested.v1} CloudEvent: nothing of the scan runs on the request thread, so
 * Slack's 3-second deadline holds whatever the estate's size.
 */
@QuarkusTest
@TestProfile(Profiles.HttpWithQueue.class)
class SlackOnLambdaTest {
    @InjectWireMock
    WireMockServer wm;

    @BeforeEach
    void reset() {
        wm.resetAll();
        Recorded.stubSqsSendMessage(wm);
        Recorded.stubEstate(wm);
    }

    /** Slack's slash-command POST with {@code text=<text>}, signed now over the form body. */
    static String signedSlackCommand(String text) {
        String template = Recorded.envelope("http-v2-slack-command.json");
        String form = new String(Base64.getDecoder().decode(Lambda.json(template).path("body").asText()),
                StandardCharsets.UTF_8).replace("text=help", "text=" + text);
        String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
        String signature = new SlackSignature(Profiles.SLACK_SECRET).sign(timestamp,
                form.getBytes(StandardCharsets.UTF_8));
        return template.replace(Lambda.json(template).path("body").asText(),
                        Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)))
                .replace("{{timestamp}}", timestamp).replace("{{signature}}", signature);
    }

    @Test
    void aScanCommandIsAcknowledgedAtOnceAndQueuedNotRunOnTheRequestThread() {
        JsonNode r = Lambda.result(signedSlackCommand("scan"));

        assertThat(r.path("statusCode").asInt()).as(r.toString()).isEqualTo(200);
        assertThat(r.path("body").asText()).contains("Working on `scan`");
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage")));
        assertThat(sent).hasSize(1);
        JsonNode call = Lambda.json(sent.get(0).getBodyAsString());
        ChatWork work = ChatWork.decode(call.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8));
        assertThat(work.command().verb()).isEqualTo(ChatCommand.Verb.SCAN);
        assertThat(work.who().userId()).isEqualTo("U0A1B2C3D4E");
        assertThat(work.responseUrl()).startsWith("https://hooks.slack.com/commands/");
        assertThat(call.at("/MessageAttributes/cloudwarden-event-type/StringValue").asText())
                .isEqualTo(ChatWork.TYPE);
        // no cloud API was called while answering Slack: the scan runs in the queue function
        assertThat(wm.getAllServeEvents()).allSatisfy(e -> assertThat(e.getRequest().getHeader("X-Amz-Target"))
                .isEqualTo("AmazonSQS.SendMessage"));
    }

    @Test
    void aQuickCommandIsStillAnsweredInline() {
        JsonNode r = Lambda.result(signedSlackCommand("help"));

        assertThat(r.path("statusCode").asInt()).isEqualTo(200);
        assertThat(r.path("body").asText()).doesNotContain("Working on");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
