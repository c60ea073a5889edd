package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Pub/Sub sink's wire requests ({@code projects.topics.publish} over HTTP/JSON) against WireMock. */
class PubSubRemediationSinkTest {
    private WireMockServer wm;
    private PubSubRemediationSink sink;

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        sink = PubSubRemediationSink.create(GcpAppSettings.from(CoreConfig.of(Map.of(
                "cloudwarden.gcp.endpoint", wm.baseUrl(), "cloudwarden.gcp.topic", GoogleApis.TOPIC))));
    }

    @AfterEach
    void stop() {
        sink.close();
        wm.stop();
    }

    static RemediationRequest request() {
        return CloudEventCodec.decodeRemediation(Fixtures.envelope("cloudevent-remediation-requested.json")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void publishesTheRequestAsAStructuredCloudEventWithItsTypeAttribute() throws Exception {
        wm.stubFor(post(urlPathEqualTo(GoogleApis.PUBLISH)).willReturn(okJson("{\"messageIds\":[\"8315044781\"]}")));

        sink.submit(request());

        var sent = wm.findAll(postRequestedFor(urlPathEqualTo(GoogleApis.PUBLISH)));
        assertThat(sent).hasSize(1);
        JsonNode body = ModelJson.mapper().readTree(sent.get(0).getBodyAsString());
        assertThat(body.path("messages")).hasSize(1);
        JsonNode message = body.path("messages").get(0);
        assertThat(message.at("/attributes/cloudwarden-type").asText())
                .isEqualTo("io.cloudwarden.remediation.requested.v1");
        assertThat(message.at("/attributes/cloudwarden-plan").asText()).isEqualTo("p-3c7e19a0b4d25f68");
        byte[] data = Base64.getDecoder().decode(message.path("data").asText());
        JsonNode event = ModelJson.mapper().readTree(data);
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("id").asText()).isEqualTo("k-3c7e19a0b4d25f68");
        RemediationRequest back = CloudEventCodec.decodeRemediation(data);
        assertThat(back).isEqualTo(request());
    }

    @Test
    void retriesAnUnavailableTopicThenSucceeds() {
        wm.stubFor(post(urlPathEqualTo(GoogleApis.PUBLISH)).inScenario("503").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":503,\"message\":\"The service is currently unavailable.\","
                                + "\"status\":\"UNAVAILABLE\"}}"))
                .willSetStateTo("up"));
        wm.stubFor(post(urlPathEqualTo(GoogleApis.PUBLISH)).inScenario("503").whenScenarioStateIs("up")
                .willReturn(okJson("{\"messageIds\":[\"8315044782\"]}")));

        sink.submit(request());

        wm.verify(2, postRequestedFor(urlPathEqualTo(GoogleApis.PUBLISH)));
    }

    @Test
    void aDeniedPublishIsAProviderErrorNamingTheOperationAndCode() {
        wm.stubFor(post(urlPathEqualTo(GoogleApis.PUBLISH)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":403,\"message\":\"User not authorized to perform this action.\","
                        + "\"status\":\"PERMISSION_DENIED\"}}")));

        assertThatThrownBy(() -> sink.submit(request()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.GCP);
                    assertThat(e.operation()).isEqualTo("pubsub:publish");
                    assertThat(e.nativeCode()).isEqualTo("PERMISSION_DENIED");
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining(GoogleApis.TOPIC);
        wm.verify(1, postRequestedFor(urlPathEqualTo(GoogleApis.PUBLISH)));
    }
}
