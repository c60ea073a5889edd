package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.provider.gcp.session.GcpRest;
import java.util.ArrayList;
import java.util.List;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import org.junit.jupiter.api.Test;

/**
 * The session counts its calls (one per page), retries and throttles, as AWS and Azure do: Cloud Asset Inventory's
 * through gax, and the REST APIs without a gax client here (Cloud Monitoring, OS Config, IAM) through
 * {@code GcpSession.execute}.
 */
class GcpCallStatisticsTest extends RecordedApi {
    private static final String ASSETS = CollectorRecordedTest.ASSETS;

    private void collectFirewalls() {
        CollectorRecordedTest.descriptor(ResourceTypes.NETWORK_FIREWALL).collector().collect(session,
                new Shard(Cloud.GCP, CollectorRecordedTest.PROJECT, "global", ResourceTypes.NETWORK_FIREWALL),
                item -> { });
    }

    @Test
    void eachPageOfListAssetsIsOneCall() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(okJson(recorded("cai/firewalls.json"))));

        collectFirewalls();
        collectFirewalls();

        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.GCP, "cloudasset", 2, 0, 0));
    }

    @Test
    void aThrottledAttemptIsCountedAsARetryAndAThrottleOfOneCall() {
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("quota").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 429, \"message\": \"Quota exceeded\", \"status\": "
                                + "\"RESOURCE_EXHAUSTED\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("quota").whenScenarioStateIs("ok")
                .willReturn(okJson(recorded("cai/firewalls.json"))));

        collectFirewalls();

        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.GCP, "cloudasset", 1, 1, 1));
    }

    private static final String TIME_SERIES = "/v3/projects/" + CollectorRecordedTest.PROJECT + "/timeSeries";

    private List<JsonNode> timeSeries() {
        List<JsonNode> out = new ArrayList<>();
        GcpRest.list(session, session.monitoringRoot() + TIME_SERIES + "?view=FULL", "timeSeries",
                "monitoring:timeSeries.list(" + CollectorRecordedTest.PROJECT + ")", out::add);
        return out;
    }

    @Test
    void aRestCallIsCountedPerPageWithItsThrottledRetryUnderTheServiceItsOperationNames() {
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).inScenario("pages").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}"))
                .willSetStateTo("first page"));
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).inScenario("pages").whenScenarioStateIs("first page")
                .willReturn(okJson("{\"timeSeries\": [{}, {}], \"nextPageToken\": \"t2\"}"))
                .willSetStateTo("second page"));
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).inScenario("pages").whenScenarioStateIs("second page")
                .willReturn(okJson("{\"timeSeries\": [{}]}")));

        assertThat(timeSeries()).hasSize(3);

        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.GCP, "monitoring", 2, 1, 1));
    }

    @Test
    void aRestCallThatFailsIsCountedWithEveryAttempt() {
        wm.stubFor(get(urlPathEqualTo(TIME_SERIES)).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(this::timeSeries).isInstanceOf(ProviderException.class);

        // maxAttempts 3 (RecordedApi): one call, two retries, no throttle
        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.GCP, "monitoring", 1, 2, 0));
    }
}
