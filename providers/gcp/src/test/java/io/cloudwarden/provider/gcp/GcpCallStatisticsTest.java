package io.cloudwarden.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import org.junit.jupiter.api.Test;

/** The session counts its Cloud Asset Inventory calls (one per page), retries and throttles, as AWS and Azure do. */
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
}
