package io.cloudwarden.app.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.ShardedEstate;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fan-out end to end over Azurite's queue service ({@code CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT}, started by
 * {@code .ci/run}; skipped when not set, except under {@code CI=true}): the {@code timer} function plans and the
 * production {@link AzureQueueSink} queues one message per shard; the test plays the Functions host (dequeue,
 * base64-decode, POST the custom-handler invocation to the {@code queue} function, delete on 200).
 */
class FanOutOverAzuriteTest {
    @Test
    void fiftyShardsOneDeliveredTwiceOneFailingGiveOneSnapshotWith49ShardsResourcesAndOneScanError() {
        String endpoint = System.getenv("CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT");
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(endpoint != null && !endpoint.isBlank(),
                    "CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT not set (start azurite-queue to run this test)");
        }
        assertThat(endpoint).as("CLOUDWARDEN_AZURITE_QUEUE_ENDPOINT (required under CI=true)").isNotBlank();
        String queueName = "cw-fanout-" + UUID.randomUUID().toString().substring(0, 8);
        String conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + RecordedAzure.DEV_KEY
                + ";QueueEndpoint=" + endpoint + ";";
        QueueClient host = new QueueClientBuilder().connectionString(conn).queueName(queueName)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        host.create();
        ShardedEstate estate = ShardedEstate.of(Cloud.AZURE, 2, 25);
        estate.memory().failShard(ShardedEstate.account(1), "region-20", ResourceTypes.STORAGE_BUCKET,
                new ProviderException(Cloud.AZURE, "Microsoft.ResourceGraph/resources/read", "AuthorizationFailed",
                        false, "denied"));
        InMemoryStateStore store = new InMemoryStateStore();
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of(FanOut.ENABLED, "true", AzureQueueSink.QUEUE,
                queueName)), ProviderRegistry.of(List.of(estate)), store, Clock.systemUTC())) {
            AzureQueueSink sink = AzureQueueSink.fromConfig(cw.config(),
                    name -> Optional.ofNullable(Map.of("AzureWebJobsStorage", conn).get(name))).orElseThrow();
            Functions functions = Functions.withSink(cw, sink);
            TimerFunction timer = new TimerFunction();
            timer.functions = functions;
            QueueFunction queue = new QueueFunction();
            queue.functions = functions;

            Response planned = timer.invoke(("{\"Data\": {\"timer\": {\"ScheduleStatus\": {\"Last\":"
                    + " \"2026-11-23T01:00:00+00:00\", \"Next\": \"2026-11-23T02:00:00+00:00\"}, \"IsPastDue\": false}},"
                    + " \"Metadata\": {}}").getBytes(StandardCharsets.UTF_8));
            assertThat(planned.getStatus()).isEqualTo(200);
            assertThat(returnValue(planned).at("/planned/shards").asInt()).isEqualTo(50);

            Set<String> shards = new HashSet<>();
            int shardMessages = 0;
            boolean redelivered = false;
            for (int round = 0; round < 100; round++) {
                List<QueueMessageItem> got = host.receiveMessages(32, Duration.ofSeconds(30), null, null).stream()
                        .toList();
                if (got.isEmpty()) {
                    break;
                }
                for (QueueMessageItem m : got) {
                    String text = m.getBody().toString();
                    if (!redelivered && text.contains(ScanRequest.TYPE)) {
                        host.sendMessage(text); // the same shard queued a second time
                        redelivered = true;
                    }
                    if (text.contains(ScanRequest.TYPE)) {
                        shardMessages++;
                        shards.add(text);
                    }
                    Response r = queue.invoke(invocation(m, text));
                    assertThat(r.getStatus()).as("queue function answer for %s", m.getMessageId()).isEqualTo(200);
                    host.deleteMessage(m.getMessageId(), m.getPopReceipt());
                }
            }

            assertThat(shardMessages).isEqualTo(51);
            assertThat(shards).hasSize(50);
            assertThat(store.list("snapshots/")).as("one history snapshot + latest").hasSize(2);
            Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
            assertThat(snapshot.resources()).hasSize(49);
            assertThat(snapshot.errors()).singleElement().satisfies(e -> {
                assertThat(e.account()).isEqualTo(ShardedEstate.account(1));
                assertThat(e.region()).isEqualTo("region-20");
                assertThat(e.code()).isEqualTo("AuthorizationFailed");
            });
        } finally {
            host.delete();
        }
    }

    /** The custom-handler invocation the host POSTs for one queue message (Data.message already decoded). */
    private static byte[] invocation(QueueMessageItem m, String text) {
        ObjectNode inv = ModelJson.mapper().createObjectNode();
        inv.putObject("Data").put("message", text);
        inv.putObject("Metadata").put("Id", m.getMessageId()).put("DequeueCount", m.getDequeueCount())
                .putObject("sys").put("MethodName", "queue");
        return inv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static com.fasterxml.jackson.databind.JsonNode returnValue(Response r) {
        try {
            return ModelJson.mapper().readTree((byte[]) r.getEntity()).get("ReturnValue");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
