package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.telemetry.Telemetry;
import io.cloudwarden.model.ModelJson;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cloudwarden's metrics on Lambda as CloudWatch embedded metric format (EMF) log lines, the platform's convention:
 * CloudWatch Logs turns each line into metrics, no agent or API call needed. At the end of every invocation the
 * handler calls {@link #flush}: what the invocation added (delta temporality) is written as one JSON line per distinct
 * attribute set (EMF gives a dimension one value per line), all in namespace {@value #NAMESPACE_KEY} (default
 * {@value #DEFAULT_NAMESPACE}). Metric names are the instrument names of
 * {@link io.cloudwarden.functions.telemetry.CloudwardenMetrics}. Each line publishes its metrics under three kinds
 * of dimension set: none (the total, what infra/aws's alarms watch), each attribute alone (e.g. {@code outcome}), and
 * all attributes together. Counters are sums; histograms (durations) give their sum of seconds this invocation, and
 * their count as {@code <name>.count}.
 */
public final class EmfMetrics implements MetricReader {
    public static final String NAMESPACE_KEY = "cloudwarden.metrics.namespace";
    public static final String DEFAULT_NAMESPACE = "Cloudwarden";

    private final String namespace;
    private final String function;
    private final Clock clock;
    private final SdkMeterProvider meters;
    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    public EmfMetrics(String namespace, String function, Clock clock) {
        this.namespace = namespace;
        this.function = function == null ? "" : function;
        this.clock = clock;
        this.meters = SdkMeterProvider.builder().registerMetricReader(this).build();
    }

    /** Telemetry whose metrics this reader collects, without spans. */
    public Telemetry telemetry() {
        return telemetry(TracerProvider.noop());
    }

    /**
     * Telemetry whose metrics this reader collects and whose spans go to {@code tracers} ({@link InvocationTracing}:
     * the OTLP export into X-Ray when configured, else the no-op). Closing it closes the metrics only; the tracer
     * provider's owner closes that.
     */
    public Telemetry telemetry(TracerProvider tracers) {
        SdkMeterProvider provider = meters;
        return Telemetry.of(new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return tracers;
            }

            @Override
            public MeterProvider getMeterProvider() {
                return provider;
            }

            @Override
            public ContextPropagators getPropagators() {
                return ContextPropagators.noop();
            }
        }, provider::close);
    }

    /**
     * The EMF lines for what was recorded since the last flush (none when nothing was), with the invocation's
     * {@code requestId} as a property (searchable in Logs Insights, not a dimension).
     */
    public List<String> flush(String requestId) {
        Collection<MetricData> data = registration.collectAllMetrics();
        Map<Attributes, Map<String, Object>> byAttributes = new LinkedHashMap<>();
        Map<String, String> units = new TreeMap<>();
        for (MetricData m : data) {
            for (PointData p : m.getData().getPoints()) {
                Map<String, Object> values = byAttributes.computeIfAbsent(p.getAttributes(), a -> new TreeMap<>());
                if (p instanceof LongPointData l) {
                    if (l.getValue() != 0) {
                        values.put(m.getName(), l.getValue());
                        units.put(m.getName(), unit(m.getUnit()));
                    }
                } else if (p instanceof DoublePointData d) {
                    if (d.getValue() != 0) {
                        values.put(m.getName(), d.getValue());
                        units.put(m.getName(), unit(m.getUnit()));
                    }
                } else if (p instanceof HistogramPointData h && h.getCount() > 0) {
                    values.put(m.getName(), h.getSum());
                    units.put(m.getName(), unit(m.getUnit()));
                    values.put(m.getName() + ".count", h.getCount());
                    units.put(m.getName() + ".count", "Count");
                }
            }
        }
        List<String> lines = new ArrayList<>();
        long now = clock.millis();
        byAttributes.forEach((attributes, values) -> {
            if (values.isEmpty()) {
                return;
            }
            ObjectNode line = ModelJson.mapper().createObjectNode();
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", now);
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", namespace);
            ArrayNode dimensions = directive.putArray("Dimensions");
            dimensions.addArray();
            List<String> keys = new ArrayList<>();
            attributes.forEach((k, v) -> {
                keys.add(k.getKey());
                line.put(k.getKey(), String.valueOf(v));
            });
            keys.sort(null);
            if (keys.size() > 1) {
                keys.forEach(k -> dimensions.addArray().add(k));
            }
            if (!keys.isEmpty()) {
                ArrayNode all = dimensions.addArray();
                keys.forEach(all::add);
            }
            ArrayNode metrics = directive.putArray("Metrics");
            values.forEach((name, value) -> {
                metrics.addObject().put("Name", name).put("Unit", units.get(name));
                if (value instanceof Long l) {
                    line.put(name, l);
                } else {
                    line.put(name, (Double) value);
                }
            });
            line.put("function", function);
            line.put("requestId", requestId == null ? "" : requestId);
            lines.add(line.toString());
        });
        return lines;
    }

    /**
     * Writes {@link #flush}'s lines to standard output, where Lambda sends them to the function's log group (and
     * CloudWatch extracts the metrics). Never fails the invocation: a failure is reported on standard error.
     */
    public void emit(String requestId) {
        try {
            List<String> lines = flush(requestId);
            synchronized (System.out) {
                lines.forEach(System.out::println);
                System.out.flush();
            }
        } catch (RuntimeException e) {
            System.err.println("cloudwarden: could not write the invocation's metrics: " + e);
        }
    }

    /** CloudWatch's unit for an OpenTelemetry unit ({@code s}, or a {@code {thing}} count). */
    static String unit(String otel) {
        return "s".equals(otel) ? "Seconds" : "Count";
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.DELTA;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
