package io.cloudwarden.app.aws;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.chatops.ChatWork;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationSink;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Sends each remediation request detection emits to the SQS work queue as a CloudEvent (structured JSON mode),
 * where the {@code queue} handler consumes it. The plan key travels in the {@value #PLAN_KEY} message attribute: the
 * consumer's executor acts on a plan key at most once, so a message SQS delivers twice (standard queues are
 * at-least-once) cannot remediate twice; on a FIFO queue the plan key is also the deduplication id, so SQS itself
 * drops a re-sent request within its five-minute window.
 *
 * <p>The client comes from an {@link AwsSession} over the same AWS configuration as the scans
 * ({@link AwsSession#sqs}): one HTTP client, endpoint override, credentials (static test keys or the default chain:
 * the Lambda execution role; never an assumed scan role) and retry settings for every AWS client. The region is read
 * from a standard queue URL ({@code https://sqs.REGION.amazonaws.com/...}), else the session's home region
 * ({@code cloudwarden.aws.region}, default {@code us-east-1}). The SDK verifies SQS's MD5 digests of body and
 * attributes.
 *
 * <p>The same queue carries the shards of a fanned-out scheduled scan ({@link #enqueue}): one
 * {@code io.cloudwarden.scan.requested.v1} message per shard, consumed by the same {@code queue} handler.
 */
public final class SqsRemediationSink implements RemediationSink, ShardQueue, AutoCloseable {
    public static final String PLAN_KEY = "cloudwarden-plan-key";
    public static final String EVENT_TYPE = "cloudwarden-event-type";
    private static final Logger LOG = Logger.getLogger(SqsRemediationSink.class);
    private static final Pattern SQS_HOST = Pattern.compile("^sqs[.-]([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?$");

    private final AwsSession session;
    private final SqsClient sqs;
    private final URI queueUrl;
    private final boolean fifo;

    public SqsRemediationSink(URI queueUrl, ProviderConfig aws) {
        this.queueUrl = queueUrl;
        this.fifo = queueUrl.getPath().endsWith(".fifo");
        this.session = new AwsSession(aws);
        this.sqs = session.sqs(region(queueUrl, aws).map(Region::id));
    }

    static Optional<Region> region(URI queueUrl, ProviderConfig aws) {
        Matcher m = SQS_HOST.matcher(queueUrl.getHost() == null ? "" : queueUrl.getHost());
        if (m.matches()) {
            return Optional.of(Region.of(m.group(1)));
        }
        return aws.setting("region").map(Region::of);
    }

    /**
     * @throws ProviderException (cloud aws, operation {@code sqs:SendMessage}) when SQS refuses or cannot be
     *         reached; retryable as the SDK judged it after its own retries
     */
    @Override
    public void submit(RemediationRequest request) {
        RemediationPlan plan = request.plan();
        SendMessageRequest.Builder send = SendMessageRequest.builder()
                .queueUrl(queueUrl.toString())
                .messageBody(new String(CloudEventCodec.encode(request), StandardCharsets.UTF_8))
                .messageAttributes(Map.of(
                        PLAN_KEY, text(plan.key()),
                        EVENT_TYPE, text(RemediationRequest.TYPE)));
        if (fifo) {
            // One group per resource keeps requests for one resource in order; the plan key deduplicates.
            send.messageGroupId("r-" + Hashing.sha256Hex(plan.resource().matchKey()).substring(0, 32))
                    .messageDeduplicationId(plan.key());
        }
        SendMessageResponse sent = send(send.build(), "remediation request " + plan.id());
        LOG.infof("remediation request %s (%s on %s) sent to the work queue as message %s", plan.id(),
                plan.action(), plan.resource().id(), sent.messageId());
    }

    /** Queues one shard of a fanned-out run; on a FIFO queue the run and shard are the deduplication id. */
    @Override
    public void enqueue(ScanRequest request) {
        SendMessageRequest.Builder send = SendMessageRequest.builder()
                .queueUrl(queueUrl.toString())
                .messageBody(new String(CloudEventCodec.encode(request), StandardCharsets.UTF_8))
                .messageAttributes(Map.of(EVENT_TYPE, text(ScanRequest.TYPE)));
        if (fifo) {
            // shards are independent: one group per shard lets FIFO consumers collect them in parallel
            send.messageGroupId("s-" + Hashing.sha256Hex(request.id()).substring(0, 32))
                    .messageDeduplicationId(Hashing.sha256Hex(request.id()));
        }
        send(send.build(), "shard " + request.shard() + " of run " + request.run());
    }

    private SendMessageResponse send(SendMessageRequest request, String what) {
        try {
            return sqs.sendMessage(request);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode())
                    : e.awsErrorDetails().errorCode();
            throw new ProviderException(Cloud.AWS, "sqs:SendMessage", code, e.retryable(),
                    "could not send " + what + " to " + queueUrl + ": " + code, e);
        } catch (SdkException e) {
            throw new ProviderException(Cloud.AWS, "sqs:SendMessage", "ClientError", e.retryable(),
                    "could not send " + what + " to " + queueUrl + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Sends a verified chat command's deferred work ({@link ChatWork}) to the work queue, so the Slack request is
     * answered at once and the queue function runs the command and posts to {@code response_url}.
     *
     * @throws ProviderException (operation {@code sqs:SendMessage}) when SQS refuses or cannot be reached
     */
    public void submit(ChatWork work) {
        SendMessageRequest.Builder send = SendMessageRequest.builder()
                .queueUrl(queueUrl.toString())
                .messageBody(new String(work.encode(), StandardCharsets.UTF_8))
                .messageAttributes(Map.of(EVENT_TYPE, text(ChatWork.TYPE)));
        if (fifo) {
            send.messageGroupId("chat-" + work.requestId()).messageDeduplicationId(work.requestId());
        }
        try {
            SendMessageResponse sent = sqs.sendMessage(send.build());
            LOG.infof("chat command %s (%s) sent to the work queue as message %s", work.requestId(),
                    work.command().verb(), sent.messageId());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode())
                    : e.awsErrorDetails().errorCode();
            throw new ProviderException(Cloud.AWS, "sqs:SendMessage", code, e.retryable(),
                    "could not send chat command " + work.requestId() + " to " + queueUrl + ": " + code, e);
        } catch (SdkException e) {
            throw new ProviderException(Cloud.AWS, "sqs:SendMessage", "ClientError", e.retryable(),
                    "could not send chat command " + work.requestId() + " to " + queueUrl, e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Override
    public void close() {
        session.close();
    }
}
