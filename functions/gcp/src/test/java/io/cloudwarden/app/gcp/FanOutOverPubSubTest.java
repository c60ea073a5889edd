package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.ShardedEstate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out over Pub/Sub on recorded responses: the production {@link PubSubRemediationSink} publishes one shard
 * per {@code projects.topics.publish} call to WireMock (answering as Pub/Sub does); each published message is then
 * delivered back as the push subscription would ({@link PushMessage}), the shard with the first message id twice.
 */
class FanOutOverPubSubTest {
    private WireMockServer wm;

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        wm.stubFor(post(urlPathEqualTo(GoogleApis.PUBLISH)).willReturn(okJson("{\"messageIds\":[\"8315044781\"]}")));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    @Test
    void fiftyShardsPublishedAndPushedBackOneTwiceOneFailingGiveOneSnapshotWithOneScanError() throws Exception {
        ShardedEstate estate = ShardedEstate.of(Cloud.GCP, 2, 25);
        estate.memory().failShard(ShardedEstate.account(0), "region-4", ResourceTypes.STORAGE_BUCKET,
                new ProviderException(Cloud.GCP, "cloudasset.assets.listResource", "PERMISSION_DENIED", false,
                        "denied"));
        InMemoryStateStore store = new InMemoryStateStore();
        CoreConfig config = CoreConfig.of(Map.of(FanOut.ENABLED, "true", "cloudwarden.gcp.endpoint", wm.baseUrl(),
                "cloudwarden.gcp.topic", GoogleApis.TOPIC));
        try (PubSubRemediationSink sink = PubSubRemediationSink.create(GcpAppSettings.from(config));
                Cloudwarden cw = new Cloudwarden(config, ProviderRegistry.of(List.of(estate)), store,
                        Clock.systemUTC())) {
            Functions functions = Functions.withSink(cw, sink);
            functions.schedules().run(new ScheduledScans.Tick("cloudwarden-nightly-scan", "2026-11-23T02:00:00Z",
                    new Actor("service", "nightly", "nightly", "cloudscheduler.googleapis.com")), List.of(Cloud.GCP));

            List<JsonNode> published = new ArrayList<>();
            for (var r : wm.findAll(postRequestedFor(urlPathEqualTo(GoogleApis.PUBLISH)))) {
                published.add(ModelJson.mapper().readTree(r.getBodyAsString()).path("messages").get(0));
            }
            assertThat(published).hasSize(50).allSatisfy(m -> assertThat(m.at("/attributes/cloudwarden-type")
                    .asText()).isEqualTo(ScanRequest.TYPE));
            published.add(published.get(0)); // redelivered by the push subscription

            for (int i = 0; i < published.size(); i++) {
                PushMessage push = PushMessage.parse(push(published.get(i), "m-" + i));
                assertThat(push.workItem()).isTrue();
                BatchResult result = functions.batch().run(List.of(push.toWorkItem()));
                assertThat(result.failures()).isEmpty();
            }

            assertThat(store.list("snapshots/")).as("one history snapshot + latest").hasSize(2);
            Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
            assertThat(snapshot.resources()).hasSize(49);
            assertThat(snapshot.errors()).singleElement().satisfies(e -> {
                assertThat(e.account()).isEqualTo(ShardedEstate.account(0));
                assertThat(e.region()).isEqualTo("region-4");
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
            });
            assertThat(ModelJson.mapper().readTree(Base64.getDecoder().decode(published.get(0).path("data")
                    .asText())).path("type").asText()).isEqualTo(ScanRequest.TYPE);
        }
    }

    /** The push request body Pub/Sub POSTs for one published message. */
    private static byte[] push(JsonNode published, String messageId) {
        ObjectNode body = ModelJson.mapper().createObjectNode();
        ObjectNode message = body.putObject("message");
        message.put("data", published.path("data").asText());
        message.set("attributes", published.path("attributes"));
        message.put("messageId", messageId);
        message.put("publishTime", "2026-11-23T02:00:01.000Z");
        body.put("subscription", "projects/cw-demo/subscriptions/cloudwarden-work-push");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
