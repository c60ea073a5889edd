package io.cloudwarden.app.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Storage Queue sender against a recorded queue service, and against Azurite's queue service when running. */
class AzureQueueSinkTest {
    private static final String ACCOUNT = RecordedAzure.ACCOUNT_LOGS;
    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void eachRequestIsOneBase64EncodedCloudEventPutOnTheConfiguredQueue() throws Exception {
        server.start();
        RecordedAzure.queueService(server);
        AzureQueueSink sink = AzureQueueSink.fromConfig(CoreConfig.of(Map.of(AzureQueueSink.QUEUE,
                RecordedAzure.QUEUE)), settings(Map.of("AzureWebJobsStorage", connection(server.port())))).orElseThrow();

        RemediationRequest request = request("p-0123456789abcdef");
        sink.submit(request);

        server.verify(1, postRequestedFor(urlPathEqualTo(RecordedAzure.QUEUE_MESSAGES_PATH)));
        JsonNode sent = QueueMessages.sent(server).get(0);
        assertThat(sent.path("specversion").asText()).isEqualTo("1.0");
        assertThat(sent.path("type").asText()).isEqualTo(RemediationRequest.TYPE);
        assertThat(sent.path("subject").asText()).isEqualTo(ACCOUNT);
        RemediationRequest decoded = CloudEventCodec.decodeRemediation(sent.toString()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(request);
        // shared-key signed, as the queue service requires
        assertThat(server.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                .startsWith("SharedKey devstoreaccount1:");
    }

    @Test
    void aQueueThatDoesNotExistIsANonRetryableProviderErrorWithoutTheAccountKey() {
        server.start();
        server.stubFor(post(urlPathEqualTo(RecordedAzure.QUEUE_MESSAGES_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/xml").withHeader("x-ms-error-code", "QueueNotFound")
                .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>QueueNotFound</Code><Message>The"
                        + " specified queue does not exist.\nRequestId:8c2f6a0e-0003-0042-1f5c-7a8b9c000000\nTime:"
                        + "2026-11-23T10:05:14.0000000Z</Message></Error>")));
        AzureQueueSink sink = AzureQueueSink.fromConfig(CoreConfig.of(Map.of(AzureQueueSink.QUEUE,
                RecordedAzure.QUEUE)), settings(Map.of("AzureWebJobsStorage", connection(server.port())))).orElseThrow();

        assertThatThrownBy(() -> sink.submit(request("p-1")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.AZURE);
                    assertThat(e.nativeCode()).isEqualTo("QueueNotFound");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.operation()).isEqualTo(AzureQueueSink.OPERATION);
                    assertThat(e.getMessage()).contains("p-1", RecordedAzure.QUEUE)
                            .doesNotContain(RecordedAzure.DEV_KEY);
                });
    }

    @Test
    void withoutAQueueNameRequestsStayInProcessAndAQueueWithoutAnAccountIsAConfigurationError() {
        assertThat(AzureQueueSink.fromConfig(CoreConfig.of(Map.of()), settings(Map.of()))).isEmpty();

        assertThatThrownBy(() -> AzureQueueSink.fromConfig(CoreConfig.of(Map.of(AzureQueueSink.QUEUE, "work")),
                settings(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AzureWebJobsStorage")
                .hasMessageContaining(AzureQueueSink.ENDPOINT);
    }

    @Test
    void aMalformedConnectionStringIsNamedButNotRepeated() {
        assertThatThrownBy(() -> AzureQueueSink.fromConfig(CoreConfig.of(Map.of(AzureQueueSink.QUEUE, "work",
                AzureQueueSink.CONNECTION, "StorageConn")), settings(Map.of("StorageConn", "AccountKey=s3cr3t"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("StorageConn")
                .hasMessageNotContaining("s3cr3t");
    }

    /**
     * Against Azurite's queue service ({@code npx azurite-queue}); {@code CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT} is its
     * account URL, e.g. {@code http://127.0.0.1:10001/devstoreaccount1}. Skipped when not set, except in CI.
     */
    @Test
    void azuriteReceivesTheRequestAndAQueueTriggerWouldReadTheCloudEventBack() {
        String endpoint = System.getenv("CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT");
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(endpoint != null && !endpoint.isBlank(),
                    "CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT not set (start azurite-queue to run this test)");
        }
        assertThat(endpoint).as("CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT (required under CI=true)").isNotBlank();
        String queueName = "cw-test-" + UUID.randomUUID().toString().substring(0, 8);
        String conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + RecordedAzure.DEV_KEY
                + ";QueueEndpoint=" + endpoint + ";";
        QueueClient reader = new QueueClientBuilder().connectionString(conn).queueName(queueName)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        reader.create();
        try {
            AzureQueueSink sink = AzureQueueSink.fromConfig(CoreConfig.of(Map.of(AzureQueueSink.QUEUE, queueName)),
                    settings(Map.of("AzureWebJobsStorage", conn))).orElseThrow();
            RemediationRequest request = request("p-azurite");

            sink.submit(request);

            List<QueueMessageItem> got = reader.receiveMessages(1).stream().toList();
            assertThat(got).hasSize(1);
            assertThat(CloudEventCodec.decodeRemediation(got.get(0).getBody().toBytes())).isEqualTo(request);
        } finally {
            reader.delete();
        }
    }

    private static java.util.function.Function<String, Optional<String>> settings(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }

    static String connection(int port) {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + RecordedAzure.DEV_KEY
                + ";QueueEndpoint=http://127.0.0.1:" + port + "/devstoreaccount1;";
    }

    static RemediationRequest request(String planId) {
        ResourceRef ref = new ResourceRef(Cloud.AZURE, RecordedAzure.SUB, "westeurope", ResourceTypes.STORAGE_BUCKET,
                ACCOUNT);
        RemediationPlan plan = new RemediationPlan(planId, "k-" + planId, "storage.bucket/block-public-access",
                RemediationPlan.Risk.MEDIUM, RemediationRef.Mode.APPROVE, ref, "f-0123456789abcdef",
                "set allowBlobPublicAccess to false", ModelJson.mapper().createObjectNode().put("publicAccess", true),
                ModelJson.mapper().createObjectNode().put("publicAccess", false), null,
                new Actor("user", "1f2e3d4c-5b6a-4798-8776-655443322110", "ada@contoso.example", ""),
                Instant.parse("2026-11-23T10:05:13Z"), Instant.parse("2026-11-23T14:05:13Z"));
        return new RemediationRequest(plan, "4b5c6d7e-8f90-4a1b-b2c3-d4e5f6a7b8c9");
    }
}
