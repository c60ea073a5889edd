package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.functions.queue.WorkItem;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One SQS batch, record by record: an EventBridge envelope (an EventBridge rule targeting the queue puts the whole
 * event in the body) goes to the event path; anything else is a work item for the core's {@link
 * io.cloudwarden.functions.queue.BatchRunner} (Cloudwarden CloudEvents: remediation and scan requests). A record
 * that fails — malformed, unknown type, an AWS error, a failed remediation — is reported by its message id and
 * never fails the others.
 */
final class SqsBatch {
    private SqsBatch() {
    }

    static BatchResult run(Functions functions, List<SQSEvent.SQSMessage> records) {
        List<BatchResult.Failure> failures = new ArrayList<>();
        List<WorkItem> work = new ArrayList<>();
        int ok = 0;
        for (SQSEvent.SQSMessage record : records) {
            String id = record.getMessageId() == null ? "" : record.getMessageId();
            byte[] body = record.getBody() == null ? new byte[0] : record.getBody().getBytes(StandardCharsets.UTF_8);
            Optional<JsonNode> envelope = eventBridgeEnvelope(body);
            if (envelope.isEmpty()) {
                work.add(new WorkItem(id, body, receiveCount(record.getAttributes())));
                continue;
            }
            try {
                functions.events().handle(Cloud.AWS, envelope.get());
                ok++;
            } catch (RuntimeException e) {
                failures.add(new BatchResult.Failure(id, e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()));
            }
        }
        BatchResult queued = functions.batch().run(work);
        failures.addAll(queued.failures());
        return new BatchResult(failures, ok + queued.succeeded());
    }

    /** An EventBridge event as delivered to SQS: a JSON object with {@code source}, {@code detail-type}. */
    private static Optional<JsonNode> eventBridgeEnvelope(byte[] body) {
        try {
            JsonNode json = ModelJson.mapper().readTree(body);
            return json != null && json.isObject() && json.has("detail-type") && json.has("source")
                    && !json.has("specversion") ? Optional.of(json) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int receiveCount(Map<String, String> attributes) {
        try {
            return attributes == null ? 1 : Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
