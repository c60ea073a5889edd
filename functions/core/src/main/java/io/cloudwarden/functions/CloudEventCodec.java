package io.cloudwarden.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.extensions.DistributedTracingExtension;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.telemetry.TracePropagation;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * CloudEvents 1.0 (structured JSON mode) for the events Cloudwarden sends between its functions
 * ({@code io.cloudwarden.<what>.v1}), through the CloudEvents SDK.
 */
public final class CloudEventCodec {
    private static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private CloudEventCodec() {
    }

    public static byte[] encode(RemediationRequest request) {
        RemediationPlan plan = request.plan();
        ObjectNode data = ModelJson.mapper().createObjectNode();
        data.set("plan", ModelJson.mapper().valueToTree(plan));
        data.put("trigger", request.trigger());
        CloudEvent event = traced(CloudEventBuilder.v1())
                .withId(plan.key())
                .withType(RemediationRequest.TYPE)
                .withSource(URI.create("/cloudwarden/detect"))
                .withSubject(plan.resource().id())
                .withTime(plan.createdAt().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(toBytes(data))
                .build();
        return format().serialize(event);
    }

    /** Decodes a structured-mode CloudEvent carrying a remediation request. */
    public static RemediationRequest decodeRemediation(byte[] bytes) {
        CloudEvent event;
        try {
            event = format().deserialize(bytes);
        } catch (EventDeserializationException | IllegalStateException e) {
            throw new EventParseException("body", "not a CloudEvents 1.0 JSON event: " + e.getMessage());
        }
        if (!RemediationRequest.TYPE.equals(event.getType())) {
            throw new EventParseException("type", "expected " + RemediationRequest.TYPE + " but was "
                    + event.getType());
        }
        if (event.getData() == null) {
            throw new EventParseException("data", "missing");
        }
        try {
            JsonNode data = ModelJson.mapper().readTree(event.getData().toBytes());
            if (!data.hasNonNull("plan")) {
                throw new EventParseException("data.plan", "missing");
            }
            RemediationPlan plan = ModelJson.mapper().treeToValue(data.get("plan"), RemediationPlan.class);
            return new RemediationRequest(plan, data.path("trigger").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw new EventParseException("data.plan", "not a remediation plan: " + e.getMessage());
        }
    }

    /** A shard to collect, as the scheduled function enqueues it (one message per shard). */
    public static byte[] encode(ScanRequest request) {
        Shard shard = request.shard();
        ObjectNode data = ModelJson.mapper().createObjectNode();
        data.put("run", request.run());
        data.set("shard", ModelJson.mapper().valueToTree(shard));
        data.put("deadline", request.deadline().toString());
        CloudEvent event = traced(CloudEventBuilder.v1())
                .withId(request.id())
                .withType(ScanRequest.TYPE)
                .withSource(URI.create("/cloudwarden/schedule"))
                .withSubject(shard.toString())
                .withTime(request.deadline().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(toBytes(data))
                .build();
        return format().serialize(event);
    }

    /** Decodes a structured-mode CloudEvent carrying one shard of a fanned-out run. */
    public static ScanRequest decodeScanRequest(byte[] bytes) {
        JsonNode data = decodeData(bytes, ScanRequest.TYPE);
        String run = data.path("run").asText("");
        if (run.isBlank()) {
            throw new EventParseException("data.run", "expected the run id");
        }
        JsonNode s = data.path("shard");
        for (String field : new String[] {"cloud", "account", "region", "type"}) {
            if (!s.path(field).isTextual()) {
                throw new EventParseException("data.shard." + field, "expected a string");
            }
        }
        Shard shard;
        try {
            shard = new Shard(Cloud.of(s.get("cloud").asText()), s.get("account").asText(), s.get("region").asText(),
                    s.get("type").asText());
        } catch (IllegalArgumentException e) {
            throw new EventParseException("data.shard.cloud", e.getMessage());
        }
        Instant deadline;
        try {
            deadline = Instant.parse(data.path("deadline").asText(""));
        } catch (java.time.format.DateTimeParseException e) {
            throw new EventParseException("data.deadline", "expected an ISO-8601 UTC time");
        }
        return new ScanRequest(run, shard, deadline);
    }

    /** A structured-mode CloudEvent of {@code type} with JSON {@code data} (time: now). */
    public static byte[] encode(String type, String id, String source, JsonNode data) {
        CloudEvent event = traced(CloudEventBuilder.v1())
                .withId(id)
                .withType(type)
                .withSource(URI.create(source))
                .withTime(java.time.OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(toBytes(data))
                .build();
        return format().serialize(event);
    }

    /** The JSON data of a structured-mode CloudEvent that must be of {@code type}. */
    public static JsonNode decodeData(byte[] bytes, String type) {
        CloudEvent event;
        try {
            event = format().deserialize(bytes);
        } catch (EventDeserializationException | IllegalStateException e) {
            throw new EventParseException("body", "not a CloudEvents 1.0 JSON event: " + e.getMessage());
        }
        if (!type.equals(event.getType())) {
            throw new EventParseException("type", "expected " + type + " but was " + event.getType());
        }
        if (event.getData() == null) {
            throw new EventParseException("data", "missing");
        }
        try {
            JsonNode data = ModelJson.mapper().readTree(event.getData().toBytes());
            if (data == null || !data.isObject()) {
                throw new EventParseException("data", "expected a JSON object");
            }
            return data;
        } catch (IOException e) {
            throw new EventParseException("data", "not JSON: " + e.getMessage());
        }
    }

    /**
     * The current span's W3C trace context as the CloudEvents distributed-tracing extension ({@code traceparent},
     * {@code tracestate}): the consumer's work joins the sender's trace (docs/TELEMETRY.md). Nothing is added when no
     * span is recording.
     */
    private static CloudEventBuilder traced(CloudEventBuilder builder) {
        java.util.Map<String, String> context = TracePropagation.current();
        String traceparent = context.get(DistributedTracingExtension.TRACEPARENT);
        if (traceparent != null) {
            builder.withExtension(DistributedTracingExtension.TRACEPARENT, traceparent);
            String tracestate = context.get(DistributedTracingExtension.TRACESTATE);
            if (tracestate != null && !tracestate.isEmpty()) {
                builder.withExtension(DistributedTracingExtension.TRACESTATE, tracestate);
            }
        }
        return builder;
    }

    private static EventFormat format() {
        if (FORMAT == null) {
            throw new IllegalStateException("CloudEvents JSON format not on the class path");
        }
        return FORMAT;
    }

    private static byte[] toBytes(JsonNode node) {
        try {
            return ModelJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
