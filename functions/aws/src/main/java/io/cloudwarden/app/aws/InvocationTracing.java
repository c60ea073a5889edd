package io.cloudwarden.app.aws;

import io.cloudwarden.functions.ConfigException;
import io.opentelemetry.api.trace.TracerProvider;
import io.cloudwarden.functions.telemetry.TracePropagation;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cloudwarden's span tree of each Lambda invocation, exported inside the invocation's X-Ray trace
 * (docs/TELEMETRY.md, "Lambda: spans into X-Ray"). When an OTLP endpoint is configured ({@value #TRACES_ENDPOINT},
 * or {@value #ENDPOINT} plus {@code /v1/traces}: in production {@code OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318},
 * the ADOT collector layer, which forwards to X-Ray), an OpenTelemetry tracer SDK is built once per execution
 * environment; each invocation then
 * <ol>
 * <li>makes the X-Ray trace header Lambda hands the runtime current ({@code com.amazonaws.xray.traceHeader}, set per
 * invocation, else {@code _X_AMZN_TRACE_ID}): the invocation's spans are its children, in its trace, and sampled as
 * X-Ray sampled it ({@code Sampled=0}: nothing is recorded);</li>
 * <li>flushes its spans before the handler returns ({@link #flush}): Lambda freezes the process once the response is
 * sent, so a background export would wait for the next invocation, or never run.</li>
 * </ol>
 * Without an endpoint (or with {@value #DISABLED}{@code =true}) nothing of the SDK is built or loaded: the tracer is
 * the API's no-op and every span is a non-recording one (cold start unchanged).
 */
public final class InvocationTracing implements AutoCloseable {
    public static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    public static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    public static final String PROTOCOL = "otel.exporter.otlp.protocol";
    public static final String TRACES_PROTOCOL = "otel.exporter.otlp.traces.protocol";
    public static final String SERVICE_NAME = "otel.service.name";
    public static final String DISABLED = "otel.sdk.disabled";
    /** The only OTLP transport this binding sends (the collector layer listens for it on localhost:4318). */
    public static final String HTTP_PROTOBUF = "http/protobuf";
    /**
     * How long an invocation waits for its spans to be exported. The collector listens on localhost and answers in
     * milliseconds; a collector that does not answer costs the invocation this much at most, never its result.
     */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);

    private static final InvocationTracing OFF = new InvocationTracing(null);

    /** The SDK part, only ever loaded when an endpoint is configured; null when off. */
    private final OtlpSpanExport export;

    private InvocationTracing(OtlpSpanExport export) {
        this.export = export;
    }

    /** Exports nothing, builds nothing. */
    public static InvocationTracing off() {
        return OFF;
    }

    /**
     * From the {@code otel.*} settings ({@code settings}: the Quarkus configuration, which reads
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} for {@value #ENDPOINT}, ...) and the Lambda environment (function name and
     * region, for the resource).
     *
     * @throws ConfigException when an endpoint is not an http(s) URL or a protocol other than
     *     {@value #HTTP_PROTOBUF} is asked for
     */
    public static InvocationTracing from(Function<String, Optional<String>> settings, Map<String, String> env) {
        if (settings.apply(DISABLED).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false)) {
            return OFF;
        }
        Optional<URI> endpoint = tracesEndpoint(settings);
        if (endpoint.isEmpty()) {
            return OFF;
        }
        for (String key : List.of(TRACES_PROTOCOL, PROTOCOL)) {
            Optional<String> protocol = settings.apply(key).map(String::trim).filter(p -> !p.isEmpty());
            if (protocol.isPresent() && !protocol.get().equals(HTTP_PROTOBUF)) {
                throw new ConfigException(key, HTTP_PROTOBUF + " (the only OTLP transport the Lambda functions send)",
                        protocol.get());
            }
        }
        String function = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "");
        String service = settings.apply(SERVICE_NAME).map(String::trim).filter(s -> !s.isEmpty())
                .orElse(function.isEmpty() ? "cloudwarden" : function);
        return new InvocationTracing(new OtlpSpanExport(endpoint.get(), service, function,
                env.getOrDefault("AWS_REGION", "")));
    }

    /**
     * Where spans are sent: {@value #TRACES_ENDPOINT} as is, else {@value #ENDPOINT} with {@code v1/traces} appended
     * (the OTLP exporter rules); empty when neither is set.
     */
    static Optional<URI> tracesEndpoint(Function<String, Optional<String>> settings) {
        Optional<String> traces = settings.apply(TRACES_ENDPOINT).map(String::trim).filter(s -> !s.isEmpty());
        if (traces.isPresent()) {
            return Optional.of(url(TRACES_ENDPOINT, traces.get()));
        }
        return settings.apply(ENDPOINT).map(String::trim).filter(s -> !s.isEmpty()).map(base -> {
            url(ENDPOINT, base);
            return URI.create(base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces");
        });
    }

    private static URI url(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(key, "an http(s) URL such as http://localhost:4318", value);
    }

    /** True when spans are recorded and exported. */
    public boolean exporting() {
        return export != null;
    }

    /** The SDK's tracer provider, or the API's no-op one when off. */
    public TracerProvider tracerProvider() {
        return export == null ? TracerProvider.noop() : export.tracerProvider();
    }

    /**
     * Makes the current Lambda invocation's X-Ray trace context current on this thread (close the scope when the
     * invocation ends). A missing or malformed header leaves the root context: the invocation's spans start a trace
     * of their own. Off: does nothing.
     */
    public Scope enterInvocation() {
        if (export == null) {
            return Scope.noop();
        }
        return AwsXrayLambdaPropagator.getInstance().extract(Context.root(), Map.of(), TracePropagation.MAP_GETTER)
                .makeCurrent();
    }

    /**
     * Exports every span ended so far, waiting at most {@link #FLUSH_TIMEOUT}. Never fails the invocation: a span
     * export that failed or timed out is reported on standard error.
     */
    public void flush() {
        if (export == null) {
            return;
        }
        try {
            if (!export.flush(FLUSH_TIMEOUT)) {
                System.err.println("cloudwarden: the invocation's spans were not exported within " + FLUSH_TIMEOUT
                        .toMillis() + " ms (OTLP endpoint " + export.endpoint() + ")");
            }
        } catch (RuntimeException e) {
            System.err.println("cloudwarden: could not export the invocation's spans: " + e);
        }
    }

    @Override
    public void close() {
        if (export != null) {
            export.close();
        }
    }
}
