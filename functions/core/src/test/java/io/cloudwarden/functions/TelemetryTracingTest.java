package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.functions.queue.WorkItem;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.Resources;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace per invocation, joined across the work queue: the W3C trace context rides in the CloudEvents
 * ({@code traceparent}), so an event, the remediation request it raised and the apply in another consumer share one
 * trace id, and a fanned-out scan's shards, merge and remediation join the run's trace.
 */
class TelemetryTracingTest {
    /** The work queue between the functions (as in the fan-out tests): CloudEvents in the order they were sent. */
    static final class ListQueue implements RemediationSink, ShardQueue {
        final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void submit(RemediationRequest request) {
            messages.add(CloudEventCodec.encode(request));
        }

        @Override
        public void enqueue(ScanRequest request) {
            messages.add(CloudEventCodec.encode(request));
        }

        List<WorkItem> drain() {
            List<WorkItem> items = new ArrayList<>();
            synchronized (messages) {
                messages.forEach(m -> items.add(new WorkItem("m-" + items.size(), m, 1)));
                messages.clear();
            }
            return items;
        }
    }

    private final CoreFixture fx = new CoreFixture();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    private final ListQueue queue = new ListQueue();

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        sdk.close();
    }

    /** The public-bucket rule in auto mode, with apply on: the remediation really runs. */
    private Cloudwarden runtime(Map<String, String> extra) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - id: storage-no-public-access
                    title: Object storage must not allow anonymous reads
                    severity: high
                    resource: storage.bucket
                    condition: '!has(resource.attributes.publicAccess) || resource.attributes.publicAccess != true'
                    remediation: {action: storage.bucket/block-public-access, mode: auto}
                """);
        Map<String, String> config = new java.util.HashMap<>(Map.of("cloudwarden.policies", rules.toString(),
                "cloudwarden.apply", "true"));
        config.putAll(extra);
        return fx.runtime(config).telemetry(Telemetry.of(sdk));
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    private SpanData only(String name) {
        assertThat(named(name)).as("spans named " + name).hasSize(1);
        return named(name).get(0);
    }

    @Test
    void anEventItsRemediationRequestAndTheApplyInAnotherConsumerShareOneTrace() throws Exception {
        fx.provider.put(Resources.awsBucket("site", false));
        try (Cloudwarden cw = runtime(Map.of())) {
            Functions detect = Functions.withSink(cw, queue);
            detect.detector().scan(List.of(Cloud.AWS), Set.of(), "t0", Actor.SYSTEM, ScanListener.NONE);
            queue.drain();
            spans.reset();
            fx.provider.put(Resources.awsBucket("site", true));

            detect.events().handle(Cloud.AWS, ModelJson.mapper().readTree(
                    "{\"kind\":\"change\",\"eventId\":\"e-1\",\"bucket\":\"site\",\"actor\":\"mallory\"}"));
            List<WorkItem> sent = queue.drain();
            // the consumer is another function: its own wiring over the same state, no span of the sender current
            BatchResult done = Functions.withSink(cw, queue).batch().run(sent);

            assertThat(done.failures()).isEmpty();
            assertThat(fx.provider.applyCount()).isEqualTo(1);
            SpanData event = only(Telemetry.EVENT);
            JsonNode message = ModelJson.mapper().readTree(sent.get(0).body());
            assertThat(message.path("traceparent").asText())
                    .matches("00-" + event.getTraceId() + "-[0-9a-f]{16}-01");
            SpanData consumed = only(Telemetry.QUEUE);
            SpanData apply = only(Telemetry.APPLY);
            assertThat(List.of(only(Telemetry.EVALUATE), only(Telemetry.PLAN), consumed, apply))
                    .extracting(SpanData::getTraceId).containsOnly(event.getTraceId());
            assertThat(consumed.getParentSpanId()).isEqualTo(event.getSpanId());
            assertThat(consumed.getParentSpanContext().isRemote()).isTrue();
            assertThat(apply.getParentSpanId()).isEqualTo(consumed.getSpanId());
            assertThat(apply.getAttributes().get(Telemetry.OUTCOME)).isEqualTo("applied-verified");
        }
    }

    @Test
    void aFannedOutScanIsOneTraceFromPlanningThroughEveryShardToTheApply() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true)).put(Resources.awsBucket("logs", false));
        try (Cloudwarden cw = runtime(Map.of(FanOut.ENABLED, "true"))) {
            Functions functions = Functions.withSink(cw, queue);
            functions.schedules().run(new ScheduledScans.Tick("nightly", "slot-1", Actor.SYSTEM), List.of(Cloud.AWS));
            List<WorkItem> shards = queue.drain();
            assertThat(shards).isNotEmpty();
            assertThat(functions.batch().run(shards).failures()).isEmpty();
            List<WorkItem> requests = queue.drain();
            assertThat(requests).hasSize(1);
            assertThat(functions.batch().run(requests).failures()).isEmpty();

            SpanData scan = only(Telemetry.SCAN);
            assertThat(scan.getParentSpanContext().isValid()).isFalse();
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getTraceId).containsOnly(scan.getTraceId());
            assertThat(named(Telemetry.COLLECT)).hasSize(shards.size());
            assertThat(named(Telemetry.QUEUE)).hasSize(shards.size() + 1);
            // scan -> queue.process -> collect, and the last shard's message merges: -> evaluate, plan
            for (SpanData collect : named(Telemetry.COLLECT)) {
                SpanData consumer = byId(collect.getParentSpanId());
                assertThat(consumer.getName()).isEqualTo(Telemetry.QUEUE);
                assertThat(consumer.getParentSpanId()).isEqualTo(scan.getSpanId());
            }
            SpanData plan = only(Telemetry.PLAN);
            assertThat(byId(only(Telemetry.EVALUATE).getParentSpanId()).getName()).isEqualTo(Telemetry.QUEUE);
            // ... -> plan -> (the request on the queue) -> queue.process -> apply
            SpanData apply = only(Telemetry.APPLY);
            SpanData applyConsumer = byId(apply.getParentSpanId());
            assertThat(applyConsumer.getParentSpanId()).isEqualTo(plan.getSpanId());
            assertThat(fx.provider.applyCount()).isEqualTo(1);
        }
    }

    @Test
    void aPooledScanIsOneSpanTreeWithAChildPerShardAndTheApplyUnderThePlan() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = runtime(Map.of())) {
            Functions.inProcess(cw).detector().scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM,
                    ScanListener.NONE);

            SpanData scan = only(Telemetry.SCAN);
            assertThat(named(Telemetry.COLLECT)).isNotEmpty().allSatisfy(c ->
                    assertThat(c.getParentSpanId()).isEqualTo(scan.getSpanId()));
            assertThat(only(Telemetry.EVALUATE).getParentSpanId()).isEqualTo(scan.getSpanId());
            SpanData plan = only(Telemetry.PLAN);
            assertThat(plan.getParentSpanId()).isEqualTo(scan.getSpanId());
            assertThat(only(Telemetry.APPLY).getParentSpanId()).isEqualTo(plan.getSpanId());
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getTraceId).containsOnly(scan.getTraceId());
        }
    }

    @Test
    void withoutAnSdkNothingIsRecordedAndNoTraceContextIsSent() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            Functions.withSink(cw, queue).detector().scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM,
                    ScanListener.NONE);
            List<WorkItem> sent = queue.drain();
            assertThat(sent).isNotEmpty();
            assertThat(ModelJson.mapper().readTree(sent.get(0).body()).has("traceparent")).isFalse();
        }
    }

    private SpanData byId(String spanId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getSpanId().equals(spanId)).findFirst()
                .orElseThrow(() -> new AssertionError("no finished span " + spanId));
    }
}
