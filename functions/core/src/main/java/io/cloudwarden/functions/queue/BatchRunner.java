package io.cloudwarden.functions.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationService;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.functions.telemetry.TracePropagation;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationResult;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Consumes a batch of work-queue items, each on its own: one bad or failing item is reported as failed (so the queue
 * redelivers it and finally dead-letters it) and never fails the others. Item bodies are CloudEvents:
 * {@code io.cloudwarden.remediation.requested.v1} (remediate) and {@code io.cloudwarden.scan.requested.v1}: with
 * data {@code {"run", "shard", "deadline"}} one shard of a fanned-out run ({@link FanOut#collect}), with data
 * {@code {"clouds": [...], "types": [...]}} a whole scan of that scope on this instance.
 */
public final class BatchRunner {
    public static final String SCAN_REQUESTED = ScanRequest.TYPE;

    private final RemediationService remediation;
    private final Detector detector;
    private final FanOut fanOut;
    private final java.util.function.Supplier<Telemetry> telemetry;

    public BatchRunner(RemediationService remediation, Detector detector, FanOut fanOut) {
        this(remediation, detector, fanOut, Telemetry::noop);
    }

    /** With the runtime's telemetry, read per item (a binding may install it after wiring). */
    public BatchRunner(RemediationService remediation, Detector detector, FanOut fanOut,
            java.util.function.Supplier<Telemetry> telemetry) {
        this.telemetry = telemetry;
        this.remediation = remediation;
        this.detector = detector;
        this.fanOut = fanOut;
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
        // The sender's trace context (CloudEvents distributed-tracing extension): this message's work joins its trace.
        Context parent = TracePropagation.extract(json == null ? null : json.path(TracePropagation.TRACEPARENT)
                .asText(null), json == null ? null : json.path(TracePropagation.TRACESTATE).asText(null));
        Span span = telemetry.get().start(Telemetry.QUEUE, parent, SpanKind.CONSUMER, Attributes.of(
                Telemetry.EVENT_TYPE, type, Telemetry.EVENT_ID, json == null ? item.id()
                        : json.path("id").asText(item.id())));
        try (Scope ignored = span.makeCurrent()) {
            dispatch(item, json, type);
        } catch (RuntimeException e) {
            Telemetry.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private void dispatch(WorkItem item, JsonNode json, String type) {
        switch (type) {
            case RemediationRequest.TYPE -> {
                RemediationResult r = remediation.handle(CloudEventCodec.decodeRemediation(item.body()));
                if ("failed".equals(r.status())) {
                    throw new IllegalStateException("remediation " + r.planId() + " failed: " + r.message());
                }
            }
            case SCAN_REQUESTED -> {
                JsonNode data = json.path("data");
                if (data.has("shard")) {
                    fanOut.collect(CloudEventCodec.decodeScanRequest(item.body()));
                    return;
                }
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
