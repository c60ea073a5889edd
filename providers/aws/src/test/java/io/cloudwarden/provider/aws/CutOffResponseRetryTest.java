package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A response cut off mid-way (a connection dropped after some bytes) is a transient fault like a 500: the SDK retries
 * it, so one drop does not lose the shard, and only a fault that persists through every attempt fails it.
 */
class CutOffResponseRetryTest extends RecordedApi {

    /** ListBuckets page 1 with the body cut after half its bytes, as a dropped connection leaves it. */
    private static ResponseDefinitionBuilder truncatedListBuckets() {
        String body = fixture("s3/list-buckets-page1.xml");
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withHeader("Content-Length", String.valueOf(body.length()))
                .withBody(body.substring(0, body.length() / 2));
    }

    static Stream<Arguments> cutOffs() {
        return Stream.of(
                Arguments.of("random data then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
                Arguments.of("malformed chunk then close", aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/xml;charset=UTF-8").withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of("body shorter than its Content-Length", truncatedListBuckets()));
    }

    private void firstListBucketsCallFails(ResponseDefinitionBuilder fault) {
        wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()).atPriority(1)
                .inScenario("drop").whenScenarioStateIs(STARTED).willReturn(fault).willSetStateTo("recovered"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void oneCutOffResponseIsRetriedAndTheShardSucceeds(String name, ResponseDefinitionBuilder fault) {
        stubS3Estate();
        firstListBucketsCallFails(fault);

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).hasSize(3);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void aCutOffThatPersistsFailsTheShardAfterEveryAttempt(String name, ResponseDefinitionBuilder fault) {
        stubS3Estate();
        wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()).atPriority(1)
                .willReturn(fault));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("s3:ListAllMyBuckets");
                    assertThat(e.nativeCode()).isIn("ResponseCutOff", "Unreachable");
                    assertThat(e.retryable()).isTrue();
                    // maxAttempts is 3 in RecordedApi (the JDK's HTTP client may resend a GET on a reset by itself,
                    // so the SDK's count is asserted, not the server's)
                    assertThat(e.getMessage()).contains("SDK Attempt Count: 3");
                });
    }
}
