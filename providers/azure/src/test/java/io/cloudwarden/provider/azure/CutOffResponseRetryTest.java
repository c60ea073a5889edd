package io.cloudwarden.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A response cut off mid-way is retried by the pipeline's RetryPolicy like a 500: the body is read inside the
 * pipeline (eagerly), so a drop while reading it is an exception the policy sees. One drop does not fail the call;
 * a drop on every attempt does (maxRetries 2 in {@link RecordedArm#config}: 3 attempts).
 */
class CutOffResponseRetryTest {
    private static final String PATH = RecordedArm.ACCOUNT_LOGS + "/blobServices/default";

    static Stream<Arguments> cutOffs() {
        String body = RecordedArm.fixture("blobservice-cwlogsprod.json");
        return Stream.of(
                Arguments.of("random data then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
                Arguments.of("malformed chunk then close", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
                Arguments.of("body shorter than its Content-Length", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Content-Length", String.valueOf(body.length()))
                        .withBody(body.substring(0, body.length() / 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void oneCutOffResponseIsRetried(String name, ResponseDefinitionBuilder fault) {
        try (RecordedArm arm = new RecordedArm().estate()) {
            arm.server.stubFor(RecordedArm.armGet(PATH).atPriority(1).inScenario("drop")
                    .whenScenarioStateIs(STARTED).willReturn(fault).willSetStateTo("recovered"));
            try (AzureSession s = new AzureSession(arm.config(List.of(RecordedArm.SUB)))) {
                var service = s.arm().get(PATH, "2023-05-01", "Microsoft.Storage/storageAccounts/blobServices/read");
                assertThat(service).hasValueSatisfying(j -> assertThat(j.path("name").asText()).isEqualTo("default"));
            }
            arm.server.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void aCutOffThatPersistsFailsAfterEveryAttempt(String name, ResponseDefinitionBuilder fault) {
        try (RecordedArm arm = new RecordedArm()) {
            arm.server.stubFor(RecordedArm.armGet(PATH).willReturn(fault));
            try (AzureSession s = new AzureSession(arm.config(List.of(RecordedArm.SUB)))) {
                assertThatThrownBy(() -> s.arm().get(PATH, "2023-05-01",
                        "Microsoft.Storage/storageAccounts/blobServices/read"))
                        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());
            }
            arm.server.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
        }
    }
}
