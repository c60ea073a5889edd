package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.model.ModelJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * WireMock on 127.0.0.1 standing in for every Google API the app calls (the provider's Storage and Cloud Asset
 * Inventory clients, and Pub/Sub), serving the provider's recorded responses; and the app configuration pointing
 * at it. One server for the whole test run (the Quarkus app is started once).
 */
public class GoogleApis implements QuarkusTestResourceLifecycleManager {
    public static final String PROJECT = "cw-demo-prod";
    public static final String TOPIC = "projects/cw-demo-prod/topics/cloudwarden-work";
    public static final String PUBLISH = "/v1/" + TOPIC + ":publish";
    public static final String ASSETS = "/v1/projects/" + PROJECT + "/assets";
    public static final String BUCKET = "/storage/v1/b/cw-demo-public-assets";
    public static final String AUDIENCE = "https://cloudwarden-gcp-4x2k7q-uc.a.run.app";
    public static final String INVOKER = "cloudwarden-invoker@cw-demo-prod.iam.gserviceaccount.com";
    /** Slack's documented example signing secret. */
    public static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = io.cloudwarden.testkit.recorded.RecordedApiServer.http().wireMock();
        stubRecorded(server);
        return Map.ofEntries(
                Map.entry("cloudwarden.slack.signing.secret", SLACK_SECRET),
                // as infra/gcp deploys it: Cloud Run admits only invokers with roles/run.invoker
                Map.entry("cloudwarden.http.auth", "platform"),
                Map.entry("cloudwarden.chatops.default-role", "viewer"),
                Map.entry("cloudwarden.gcp.endpoint", server.baseUrl()),
                Map.entry("cloudwarden.gcp.accounts", PROJECT),
                Map.entry("cloudwarden.gcp.maxAttempts", "2"),
                Map.entry("cloudwarden.gcp.initialRetryDelayMillis", "10"),
                Map.entry("cloudwarden.gcp.totalTimeoutSeconds", "10"),
                Map.entry("cloudwarden.gcp.topic", TOPIC),
                Map.entry("cloudwarden.gcp.oidc-audience", AUDIENCE),
                Map.entry("cloudwarden.gcp.oidc-email", INVOKER));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static void stubRecorded(WireMockServer wm) {
        // re-collection of one bucket: Storage buckets.get + getIamPolicy
        wm.stubFor(get(urlPathEqualTo(BUCKET)).willReturn(okJson(Fixtures.text("recorded/storage/bucket-public.json"))));
        wm.stubFor(get(urlPathEqualTo(BUCKET + "/iam"))
                .willReturn(okJson(Fixtures.text("recorded/storage/bucket-public-iam.json"))));
        // full scan: CAI ListAssets (enums as numbers on HttpJson: contentType 1 RESOURCE, 2 IAM_POLICY)
        wm.stubFor(get(urlPathEqualTo(ASSETS)).atPriority(9).willReturn(okJson("{}")));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("assetTypes", equalTo("storage.googleapis.com/Bucket"))
                .withQueryParam("contentType", equalTo("1")).atPriority(5)
                .willReturn(okJson(Fixtures.text("recorded/cai/buckets-page1.json"))));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("contentType", equalTo("1"))
                .withQueryParam("pageToken", equalTo("CgRwYWdlMg")).atPriority(1)
                .willReturn(okJson(Fixtures.text("recorded/cai/buckets-page2.json"))));
        wm.stubFor(get(urlPathEqualTo(ASSETS)).withQueryParam("assetTypes", equalTo("storage.googleapis.com/Bucket"))
                .withQueryParam("contentType", equalTo("2")).atPriority(5)
                .willReturn(okJson(Fixtures.text("recorded/cai/buckets-iam.json"))));
        // compute.group: Compute's aggregated lists answer with no managed instance group and no autoscaler (read and
        // empty, not unread)
        String compute = "/compute/v1/projects/" + PROJECT + "/aggregated/";
        wm.stubFor(get(urlPathEqualTo(compute + "instanceGroupManagers")).willReturn(okJson(
                "{\"kind\": \"compute#instanceGroupManagerAggregatedList\", \"id\": \"projects/" + PROJECT
                        + "/aggregated/instanceGroupManagers\", \"items\": {}}")));
        wm.stubFor(get(urlPathEqualTo(compute + "autoscalers")).willReturn(okJson(
                "{\"kind\": \"compute#autoscalerAggregatedList\", \"id\": \"projects/" + PROJECT
                        + "/aggregated/autoscalers\", \"items\": {}}")));
        // Pub/Sub projects.topics.publish
        wm.stubFor(post(urlPathEqualTo(PUBLISH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody("{\"messageIds\": [\"17403911592051734\"]}")));
    }

    /** The CloudEvents published to the work topic so far (decoded from each request's messages[].data). */
    public static List<JsonNode> published() {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(PUBLISH)))) {
            try {
                for (JsonNode m : ModelJson.mapper().readTree(r.getBodyAsString()).path("messages")) {
                    out.add(ModelJson.mapper().readTree(Base64.getDecoder().decode(m.path("data").asText())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
