package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.ProviderConfig;
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
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.ShardedEstate;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The fan-out end to end over an SQS-compatible server (ElasticMQ, started in this JVM on loopback): the schedule
 * handler's core call plans and sends one message per shard with the production {@link SqsRemediationSink}; the
 * test plays Lambda's event source mapping (receive up to 10, hand the batch to the queue handler's
 * {@link SqsBatch}, delete what succeeded) until the queue is empty.
 */
class FanOutOverSqsTest {
    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static SQSRestServer server;
    private static SqsClient sqs;
    private static URI endpoint;

    @BeforeAll
    static void startElasticMq() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.builder().build()).endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .build();
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
        server.stopAndWait();
    }

    @Test
    void fiftyShardsOneDeliveredTwiceOneFailingGiveOneSnapshotWith49ShardsResourcesAndOneScanError() {
        String queueUrl = sqs.createQueue(b -> b.queueName("cloudwarden-work-fanout")
                .attributes(Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT,
                        "30"))).queueUrl();
        ShardedEstate estate = ShardedEstate.of(Cloud.AWS, 2, 25);
        estate.memory().failShard(ShardedEstate.account(0), "region-13", ResourceTypes.STORAGE_BUCKET,
                new ProviderException(Cloud.AWS, "s3:ListBuckets", "AccessDenied", false, "denied"));
        InMemoryStateStore store = new InMemoryStateStore();
        ProviderConfig aws = new ProviderConfig(Cloud.AWS, Optional.of(endpoint), List.of(), List.of(),
                Map.of("accessKeyId", KEY, "secretAccessKey", SECRET, "region", "eu-west-1"));
        try (SqsRemediationSink queue = new SqsRemediationSink(URI.create(queueUrl), aws);
                Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of(FanOut.ENABLED, "true")),
                        ProviderRegistry.of(List.of(estate)), store, Clock.systemUTC())) {
            Functions functions = Functions.withSink(cw, queue);

            ScheduledScans.Run run = functions.schedules().run(new ScheduledScans.Tick("nightly",
                    "2026-11-23T02:00:00Z", new Actor("service", "nightly", "nightly", "aws.scheduler")),
                    List.of(Cloud.AWS));
            assertThat(run.planned().orElseThrow().shards()).hasSize(50);
            assertThat(approximateMessages(queueUrl)).isEqualTo(50);

            Set<String> shardBodies = new HashSet<>();
            boolean redelivered = false;
            int batches = 0;
            int shardMessages = 0;
            while (batches++ < 200) {
                List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageSystemAttributeNames(
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                if (received.isEmpty()) {
                    break;
                }
                if (!redelivered) {
                    // the same shard message delivered a second time, as a standard queue may
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(received.get(0).body()));
                    redelivered = true;
                }
                List<SQSEvent.SQSMessage> records = new ArrayList<>();
                for (Message m : received) {
                    records.add(record(m));
                    if (m.body().contains(ScanRequest.TYPE)) {
                        shardMessages++;
                        shardBodies.add(m.body());
                    }
                }
                BatchResult result = SqsBatch.run(functions, records);
                assertThat(result.failures()).isEmpty();
                for (Message m : received) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }

            assertThat(shardMessages).isEqualTo(51);
            assertThat(shardBodies).hasSize(50);
            assertThat(store.list("snapshots/")).as("one history snapshot + latest").hasSize(2);
            Snapshot snapshot = cw.repository().latestSnapshot().orElseThrow();
            assertThat(snapshot.resources()).hasSize(49);
            assertThat(snapshot.errors()).singleElement().satisfies(e -> {
                assertThat(e.account()).isEqualTo(ShardedEstate.account(0));
                assertThat(e.region()).isEqualTo("region-13");
                assertThat(e.code()).isEqualTo("AccessDenied");
            });
            assertThat(functions.fanOut().status()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo("merged");
                assertThat(s.collected()).isEqualTo(50);
            });
        }
    }

    private static int approximateMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName
                        .APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** The record as Lambda's SQS event source mapping hands it to the handler. */
    private static SQSEvent.SQSMessage record(Message m) {
        SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
        r.setMessageId(m.messageId());
        r.setReceiptHandle(m.receiptHandle());
        r.setBody(m.body());
        r.setAttributes(Map.of("ApproximateReceiveCount", m.attributes().getOrDefault(
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
        r.setEventSource("aws:sqs");
        return r;
    }
}
