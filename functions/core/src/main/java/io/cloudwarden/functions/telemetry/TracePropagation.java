package io.cloudwarden.functions.telemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) for the CloudEvents Cloudwarden sends between its
 * functions: the CloudEvents distributed-tracing extension carries them as the event attributes of the same names, so
 * an event, the remediation request it raised and the apply in another function join one trace.
 */
public final class TracePropagation {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** Reads a propagation field from a plain map of headers or attributes (null map: no field). */
    public static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TracePropagation() {
    }

    /** The current span's trace context as W3C headers; empty when no span is recording (no SDK, no span). */
    public static Map<String, String> current() {
        Map<String, String> out = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), out, Map::put);
        return out;
    }

    /**
     * The remote parent named by {@code traceparent} (and {@code tracestate}); the root context when
     * {@code traceparent} is absent or malformed (the W3C rule: a bad header starts a new trace, it never fails the
     * message).
     */
    public static Context extract(String traceparent, String tracestate) {
        Map<String, String> carrier = new HashMap<>();
        if (traceparent != null && !traceparent.isBlank()) {
            carrier.put(TRACEPARENT, traceparent);
            if (tracestate != null && !tracestate.isBlank()) {
                carrier.put(TRACESTATE, tracestate);
            }
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, MAP_GETTER);
    }
}
