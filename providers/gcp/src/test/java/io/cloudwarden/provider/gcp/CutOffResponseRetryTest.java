package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Cloud Asset Inventory page cut off mid-way is retried like a 503 (maxAttempts 3 in {@link RecordedApi}); only a
 * cut-off on every attempt fails the shard. Not covered: a broken chunk ({@code Fault.MALFORMED_RESPONSE_CHUNK}) whose
 * read fails with "Premature EOF" — gax's HTTP/JSON exception factory marks such I/O failures non-retryable whatever
 * the retryable codes say (see providers/gcp/README.md).
 */
class CutOffResponseRetryTest extends RecordedApi {
    private static final String ASSETS = CollectorRecordedTest.ASSETS;

    static Stream<Arguments> cutOffs() {
        String body = recorded("cai/firewalls.json");
        return Stream.of(
                Arguments.of("random data then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
                Arguments.of("body shorter than its Content-Length", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Content-Length", String.valueOf(body.length()))
                        .withBody(body.substring(0, body.length() / 2))));
    }

    private List<NativeItem> firewalls() {
        List<NativeItem> items = new ArrayList<>();
        CollectorRecordedTest.descriptor(ResourceTypes.NETWORK_FIREWALL).collector().collect(session,
                new Shard(Cloud.GCP, CollectorRecordedTest.PROJECT, "global", ResourceTypes.NETWORK_FIREWALL),
                items::add);
        return items;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void oneCutOffPageIsRetriedAndTheShardSucceeds(String name, ResponseDefinitionBuilder fault) {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("drop").whenScenarioStateIs(STARTED).willReturn(fault)
                .willSetStateTo("recovered"));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("drop").whenScenarioStateIs("recovered")
                .willReturn(okJson(recorded("cai/firewalls.json"))));

        assertThat(firewalls()).hasSize(3);
        wm.verify(2, getRequestedFor(urlPathEqualTo(ASSETS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutOffs")
    void aCutOffThatPersistsFailsTheShardAfterEveryAttempt(String name, ResponseDefinitionBuilder fault) {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(fault));

        assertThatThrownBy(this::firewalls).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.retryable()).isTrue());
        wm.verify(3, getRequestedFor(urlPathEqualTo(ASSETS)));
    }
}
