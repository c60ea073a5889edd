package io.cloudwarden.functions.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Cloudwarden's own telemetry over the OpenTelemetry API: the metric instruments ({@link CloudwardenMetrics}, defined
 * once for the apps and the CLI) and the tracer of the invocation span tree (docs/TELEMETRY.md). The core only uses
 * the API; a binding installs an SDK ({@link #of}): the CLI's {@code serve} and OTLP export, the apps' Quarkus
 * OpenTelemetry extension. Without one ({@link #noop()}) every call is a no-op and nothing is recorded.
 */
public final class Telemetry implements AutoCloseable {
    /** The instrumentation scope of every instrument and span. */
    public static final String SCOPE = "io.cloudwarden";

    // The span tree of one invocation (docs/TELEMETRY.md): scan -> collect (per shard) -> evaluate -> plan -> apply;
    // an event: event -> evaluate -> plan -> apply; a queue message: queue.process (child of the sender's span).
    public static final String SCAN = "cloudwarden.scan";
    public static final String COLLECT = "cloudwarden.collect";
    public static final String EVALUATE = "cloudwarden.evaluate";
    public static final String PLAN = "cloudwarden.plan";
    public static final String APPLY = "cloudwarden.apply";
    public static final String EVENT = "cloudwarden.event";
    public static final String QUEUE = "cloudwarden.queue.process";

    public static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("cloudwarden.trigger");
    public static final AttributeKey<String> CLOUD = AttributeKey.stringKey("cloudwarden.cloud");
    public static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("cloudwarden.account");
    public static final AttributeKey<String> REGION = AttributeKey.stringKey("cloudwarden.region");
    public static final AttributeKey<String> TYPE = AttributeKey.stringKey("cloudwarden.type");
    public static final AttributeKey<Long> RESOURCES = AttributeKey.longKey("cloudwarden.resources");
    public static final AttributeKey<Long> FINDINGS = AttributeKey.longKey("cloudwarden.findings");
    public static final AttributeKey<Long> PLANS = AttributeKey.longKey("cloudwarden.plans");
    public static final AttributeKey<String> RUN = AttributeKey.stringKey("cloudwarden.run");
    public static final AttributeKey<String> PLAN_ID = AttributeKey.stringKey("cloudwarden.plan.id");
    public static final AttributeKey<String> ACTION = AttributeKey.stringKey("cloudwarden.action");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cloudwarden.outcome");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");

    private static final class Noop {
        static final Telemetry INSTANCE = new Telemetry(OpenTelemetry.noop(), () -> {
        });
    }

    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final CloudwardenMetrics metrics;
    private final Runnable onClose;

    private Telemetry(OpenTelemetry otel, Runnable onClose) {
        this.otel = Objects.requireNonNull(otel, "otel");
        this.tracer = otel.getTracer(SCOPE);
        this.metrics = new CloudwardenMetrics(otel.getMeter(SCOPE));
        this.onClose = onClose;
    }

    /** Records nothing (the default of a runtime no binding gave telemetry). */
    public static Telemetry noop() {
        return Noop.INSTANCE;
    }

    /** Over {@code otel}, which the caller owns (closing this telemetry leaves it open). */
    public static Telemetry of(OpenTelemetry otel) {
        return new Telemetry(otel, () -> {
        });
    }

    /** Over {@code otel}; {@link #close()} runs {@code onClose} (flush and shut the SDK down). */
    public static Telemetry of(OpenTelemetry otel, Runnable onClose) {
        return new Telemetry(otel, Objects.requireNonNull(onClose, "onClose"));
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    public Tracer tracer() {
        return tracer;
    }

    public CloudwardenMetrics metrics() {
        return metrics;
    }

    /** A span named {@code name}, child of the current context's span. The caller ends it. */
    public Span start(String name, Attributes attributes) {
        return tracer.spanBuilder(name).setAllAttributes(attributes).startSpan();
    }

    /** A span child of {@code parent} (another thread's span, or one extracted from a queue message). */
    public Span start(String name, Context parent, SpanKind kind, Attributes attributes) {
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).setAllAttributes(attributes).startSpan();
    }

    /**
     * Runs {@code work} in a span named {@code name} (current while it runs, so spans it starts and trace context it
     * sends on are its children); an exception marks the span as an error and is rethrown.
     */
    public <T> T inSpan(String name, Attributes attributes, Supplier<T> work) {
        Span span = start(name, attributes);
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Marks {@code span} failed with {@code e}. */
    public static void failed(Span span, Throwable e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
    }

    /** The attributes naming one shard. */
    public static Attributes shardAttributes(io.cloudwarden.engine.spi.Shard shard) {
        return Attributes.of(CLOUD, shard.cloud().id(), ACCOUNT, shard.account(), REGION, shard.region(), TYPE,
                shard.type());
    }

    /** {@code delegate} plus a collect span and the duration of each shard of a pooled scan. */
    public io.cloudwarden.engine.scan.ScanListener shards(io.cloudwarden.engine.scan.ScanListener delegate) {
        return new ShardSpans(this, delegate);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
