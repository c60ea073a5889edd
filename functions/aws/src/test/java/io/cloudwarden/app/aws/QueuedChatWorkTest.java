package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.functions.chatops.ChatCommand;
import io.cloudwarden.functions.chatops.ChatIdentity;
import io.cloudwarden.functions.chatops.ChatWork;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue function runs a deferred chat command and posts its answer to the command's response_url. */
@QuarkusTest
@TestProfile(Profiles.QueueChat.class)
class QueuedChatWorkTest {
    private static final String RESPONSE_PATH = "/commands/T0A1B2C3D/1234567890123/abcdefGHIJKLmnopQRSTuvwx";

    @InjectWireMock
    WireMockServer wm;

    @BeforeEach
    void reset() {
        wm.resetAll();
        wm.stubFor(post(urlPathEqualTo(RESPONSE_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private String sqsEvent(ChatWork work) {
        ObjectNode record = ModelJson.mapper().createObjectNode();
        record.put("messageId", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
        record.put("receiptHandle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a");
        record.put("body", new String(work.encode(), StandardCharsets.UTF_8));
        record.putObject("attributes").put("ApproximateReceiveCount", "1");
        record.putObject("messageAttributes");
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:cloudwarden-work");
        record.put("awsRegion", "us-east-1");
        ObjectNode event = ModelJson.mapper().createObjectNode();
        event.putArray("Records").add(record);
        return event.toString();
    }

    @Test
    void aQueuedCommandRunsAndItsAnswerIsPostedToTheResponseUrl() {
        ChatWork work = new ChatWork(new ChatIdentity("slack", "T0A1B2C3D", "U0A1B2C3D4E", "jane.doe",
                "C0123ABCDEF"), new ChatCommand(ChatCommand.Verb.STATUS, "status", List.of(), Map.of()),
                "slack-0123456789abcdef", "http://127.0.0.1:" + wm.port() + RESPONSE_PATH, false);

        JsonNode r = Lambda.result(sqsEvent(work));

        assertThat(r.path("batchItemFailures")).as(r.toString()).isEmpty();
        var posted = wm.findAll(postRequestedFor(urlPathEqualTo(RESPONSE_PATH)));
        assertThat(posted).hasSize(1);
        JsonNode message = Lambda.json(posted.get(0).getBodyAsString());
        assertThat(message.path("replace_original").asBoolean(true)).isFalse();
        assertThat(message.path("text").asText()).isEqualTo("Cloudwarden status");
    }

    @Test
    void aResponseUrlOutsideTheAllowListIsNotPostedTo() {
        ChatWork work = new ChatWork(new ChatIdentity("slack", "T0A1B2C3D", "U0A1B2C3D4E", "jane.doe", ""),
                new ChatCommand(ChatCommand.Verb.STATUS, "status", List.of(), Map.of()), "slack-fedcba9876543210",
                "https://attacker.example/collect", false);

        JsonNode r = Lambda.result(sqsEvent(work));

        assertThat(r.path("batchItemFailures")).hasSize(1);
        assertThat(wm.getAllServeEvents()).noneMatch(e -> e.getRequest().getUrl().contains("collect"));
    }
}
