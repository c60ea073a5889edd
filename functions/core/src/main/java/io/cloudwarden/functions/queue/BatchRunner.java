package io.cloudwarden.functions.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationService;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Consumes a batch of work-queue items, each on its own: one bad or failing item is reported as failed (so the queue
 * redelivers it and finally dead-letters it) and never fails the others. Item bodies are CloudEvents:
 * {@code io.cloudwarden.remediation.requested.v1} (remediate) and {@code io.cloudwarden.scan.requested.v1}
 * (data {@code {"clouds": [...], "types": [...]}}: scan that scope).
 */
public final class BatchRunner {
    public static final String SCAN_REQUESTED = "io.cloudwarden.scan.requested.v1";

    private final RemediationService remediation;
    private final Detector detector;

    public BatchRunner(RemediationService remediation, Detector detector) {
        this.remediation = remediation;
        this.detector = detector;
    }

    /** Runs deferred chat commands ({@link io.cloudwarden.functions.chatops.ChatWork}); none by default. */
    private volatile java.util.function.Consumer<io.cloudwarden.functions.chatops.ChatWork> chatWork;

    /** Where {@value io.cloudwarden.functions.chatops.ChatWork#TYPE} items go (the chat route that runs them). */
    public BatchRunner onChatWork(java.util.function.Consumer<io.cloudwarden.functions.chatops.ChatWork> runner) {
        this.chatWork = runner;
        return this;
    }

    public BatchResult run(List<WorkItem> items) {
        List<BatchResult.Failure> failures = new ArrayList<>();
        int ok = 0;
        for (WorkItem item : items) {
            try {
                process(item);
                ok++;
            } catch (RuntimeException e) {
                failures.add(new BatchResult.Failure(item.id(), e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return new BatchResult(failures, ok);
    }

    private void process(WorkItem item) {
        JsonNode json;
        try {
            json = ModelJson.mapper().readTree(item.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("item " + item.id() + ": body is not JSON");
        }
        String type = json == null ? "" : json.path("type").asText("");
        switch (type) {
            case RemediationRequest.TYPE -> {
                RemediationResult r = remediation.handle(CloudEventCodec.decodeRemediation(item.body()));
                if ("failed".equals(r.status())) {
                    throw new IllegalStateException("remediation " + r.planId() + " failed: " + r.message());
                }
            }
            case SCAN_REQUESTED -> {
                JsonNode data = json.path("data");
                Set<Cloud> clouds = new LinkedHashSet<>();
                data.path("clouds").forEach(c -> clouds.add(Cloud.of(c.asText())));
                if (clouds.isEmpty()) {
                    throw new IllegalArgumentException("item " + item.id() + ": data.clouds: expected a non-empty"
                            + " list of clouds");
                }
                Set<String> types = new LinkedHashSet<>();
                data.path("types").forEach(t -> types.add(t.asText()));
                detector.scan(new ArrayList<>(clouds), types, "queue:" + json.path("id").asText(item.id()),
                        new Actor("service", "queue", "queue", ""), ScanListener.NONE);
            }
            case io.cloudwarden.functions.chatops.ChatWork.TYPE -> {
                if (chatWork == null) {
                    throw new IllegalStateException("item " + item.id() + ": no chat route runs "
                            + io.cloudwarden.functions.chatops.ChatWork.TYPE + " here");
                }
                chatWork.accept(io.cloudwarden.functions.chatops.ChatWork.decode(item.body()));
            }
            default -> throw new IllegalArgumentException("item " + item.id() + ": type: expected "
                    + RemediationRequest.TYPE + ", " + SCAN_REQUESTED + " or "
                    + io.cloudwarden.functions.chatops.ChatWork.TYPE + " but was '" + type + "'");
        }
    }
}
