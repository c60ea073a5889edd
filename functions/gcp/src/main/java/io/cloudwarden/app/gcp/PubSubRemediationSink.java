package io.cloudwarden.app.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PubsubMessage;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationSink;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.model.Cloud;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Publishes each remediation request to a Pub/Sub topic as a structured-mode CloudEvent
 * ({@link CloudEventCodec#encode}); the topic's push subscription delivers it back to {@code POST /pubsub}.
 *
 * <p>Uses {@link TopicAdminClient#publish} over the HTTP/JSON transport rather than the batching {@code Publisher}:
 * a function publishes a handful of messages per invocation and must know each one was accepted before it answers
 * (Cloud Run may throttle the CPU once the response is sent), and HTTP/JSON lets {@code cloudwarden.gcp.endpoint}
 * point Pub/Sub at the same recorded-response server as the other Google APIs. Client-side batching is off; the
 * publish call is retried on UNAVAILABLE / RESOURCE_EXHAUSTED / DEADLINE_EXCEEDED with a short back-off.
 * Pub/Sub's message ids are not used for dedupe: the CloudEvent id is the plan key. The same topic carries the
 * shards of a fanned-out scheduled scan ({@link #enqueue}).
 */
public final class PubSubRemediationSink implements RemediationSink, ShardQueue, AutoCloseable {
    static final String SCOPE = "https://www.googleapis.com/auth/pubsub";
    private static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED);

    private final String topic;
    private final TopicAdminClient client;

    PubSubRemediationSink(String topic, TopicAdminClient client) {
        this.topic = topic;
        this.client = client;
    }

    /** A sink for {@code settings.topic()}, which must be present. */
    public static PubSubRemediationSink create(GcpAppSettings settings) {
        String topic = settings.topic().orElseThrow(() -> new IllegalArgumentException(GcpAppSettings.TOPIC
                + ": expected a topic name"));
        try {
            TopicAdminSettings.Builder b = TopicAdminSettings.newHttpJsonBuilder()
                    .setCredentialsProvider(credentials(settings));
            settings.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.publishSettings()
                    .setBatchingSettings(b.publishSettings().getBatchingSettings().toBuilder().setIsEnabled(false)
                            .build())
                    .setRetryableCodes(RETRYABLE)
                    .setRetrySettings(RetrySettings.newBuilder()
                            .setInitialRetryDelayDuration(Duration.ofMillis(100))
                            .setRetryDelayMultiplier(2.0)
                            .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                            .setMaxAttempts(4)
                            .setInitialRpcTimeoutDuration(Duration.ofSeconds(10))
                            .setRpcTimeoutMultiplier(1.0)
                            .setMaxRpcTimeoutDuration(Duration.ofSeconds(10))
                            .setTotalTimeoutDuration(Duration.ofSeconds(30))
                            .build());
            return new PubSubRemediationSink(topic, TopicAdminClient.create(b.build()));
        } catch (IOException e) {
            throw new ProviderException(Cloud.GCP, "pubsub:client", "ClientSetup", false,
                    "could not create the Pub/Sub client: " + e.getMessage(), e);
        }
    }

    /**
     * {@code credentialsFile} wins; with an endpoint override and no file, requests go unauthenticated (emulators,
     * recorded-response servers); otherwise Application Default Credentials (the Cloud Run service account).
     */
    private static CredentialsProvider credentials(GcpAppSettings settings) throws IOException {
        if (settings.credentialsFile().isPresent()) {
            try (InputStream in = Files.newInputStream(settings.credentialsFile().get())) {
                return FixedCredentialsProvider.create(GoogleCredentials.fromStream(in).createScoped(List.of(SCOPE)));
            }
        }
        if (settings.endpoint().isPresent()) {
            return NoCredentialsProvider.create();
        }
        return TopicAdminSettings.defaultCredentialsProviderBuilder().build();
    }

    private static String root(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void submit(RemediationRequest request) {
        publish(PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(CloudEventCodec.encode(request)))
                .putAttributes(PushMessage.TYPE_ATTRIBUTE, RemediationRequest.TYPE)
                .putAttributes("cloudwarden-plan", request.plan().id())
                .build(), "plan " + request.plan().id());
    }

    /** Publishes one shard of a fanned-out run; the push subscription delivers it to {@code POST /pubsub}. */
    @Override
    public void enqueue(ScanRequest request) {
        publish(PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(CloudEventCodec.encode(request)))
                .putAttributes(PushMessage.TYPE_ATTRIBUTE, ScanRequest.TYPE)
                .putAttributes("cloudwarden-run", request.run())
                .build(), "shard " + request.shard() + " of run " + request.run());
    }

    private void publish(PubsubMessage message, String what) {
        try {
            PublishResponse response = client.publish(topic, List.of(message));
            if (response.getMessageIdsCount() != 1) {
                throw new ProviderException(Cloud.GCP, "pubsub:publish", "NoMessageId", true,
                        "Pub/Sub accepted no message for " + what + " on " + topic);
            }
        } catch (ApiException e) {
            throw new ProviderException(Cloud.GCP, "pubsub:publish", e.getStatusCode().getCode().name(),
                    e.isRetryable() || RETRYABLE.contains(e.getStatusCode().getCode()),
                    "could not publish " + what + " to " + topic + ": " + e.getStatusCode().getCode(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
