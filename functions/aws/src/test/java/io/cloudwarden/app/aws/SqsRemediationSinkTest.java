package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQS sender against WireMock speaking SQS's JSON protocol (with SQS's MD5 digests, which the SDK checks). */
class SqsRemediationSinkTest {
    private WireMockServer wm;
    private final RemediationRequest request = CloudEventCodec.decodeRemediation(
            Recorded.envelope("cloudevent-remediation-requested.json").getBytes(StandardCharsets.UTF_8));

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(new SqsSendMessage()));
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private SqsRemediationSink sink(String queue) {
        return sink(queue, Map.of());
    }

    private SqsRemediationSink sink(String queue, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region", "eu-west-1"));
        settings.putAll(extra);
        ProviderConfig aws = new ProviderConfig(Cloud.AWS, Optional.of(URI.create(wm.baseUrl())), List.of(),
                List.of(), settings);
        return new SqsRemediationSink(URI.create(wm.baseUrl() + "/111122223333/" + queue), aws);
    }

    @Test
    void theSenderRetriesAsTheAwsSessionIsConfigured() {
        wm.stubFor(post(urlPathEqualTo("/")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"com.amazonaws.sqs#ServiceUnavailable\",\"message\":\"busy\"}")));

        try (SqsRemediationSink sink = sink("cloudwarden-work", Map.of("maxAttempts", "2", "retryBaseDelayMs", "0"))) {
            assertThatThrownBy(() -> sink.submit(request)).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("ServiceUnavailable");
        }

        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/")))).as("settings.maxAttempts = 2 (the SDK default would be 3)").hasSize(2);
    }

    @Test
    void aFifoQueueGetsThePlanKeyAsDeduplicationIdAndOneGroupPerResource() {
        Recorded.stubSqsSendMessage(wm);
        try (SqsRemediationSink sink = sink("cloudwarden-work.fifo")) {
            sink.submit(request);
        }

        JsonNode sent = Lambda.json(wm.findAll(postRequestedFor(urlPathEqualTo("/"))).get(0).getBodyAsString());
        assertThat(sent.path("MessageDeduplicationId").asText()).isEqualTo(request.plan().key());
        assertThat(sent.path("MessageGroupId").asText()).startsWith("r-").hasSize(34);
        assertThat(sent.path("MessageAttributes").path(SqsRemediationSink.EVENT_TYPE).path("StringValue").asText())
                .isEqualTo(RemediationRequest.TYPE);
        assertThat(CloudEventCodec.decodeRemediation(sent.path("MessageBody").asText()
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(request);
    }

    @Test
    void aQueueThatDoesNotExistIsAProviderErrorNamingTheOperationAndCode() {
        wm.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withHeader("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")
                        .withBody("{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
                                + "\"message\":\"The specified queue does not exist.\"}")));

        try (SqsRemediationSink sink = sink("gone")) {
            assertThatThrownBy(() -> sink.submit(request)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.cloud()).isEqualTo(Cloud.AWS);
                assertThat(e.operation()).isEqualTo("sqs:SendMessage");
                assertThat(e.nativeCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains(request.plan().id()).doesNotContain("wJalrXUtnFEMI");
            });
        }
    }

    @Test
    void theRegionIsReadFromAStandardQueueUrl() {
        ProviderConfig none = ProviderConfig.defaults(Cloud.AWS);
        assertThat(SqsRemediationSink.region(URI.create(
                "https://sqs.ap-southeast-2.amazonaws.com/111122223333/cloudwarden-work"), none))
                .map(r -> r.id()).contains("ap-southeast-2");
        assertThat(SqsRemediationSink.region(URI.create("http://127.0.0.1:4566/000000000000/q"), none)).isEmpty();
    }
}
