package io.cloudwarden.app.aws;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry tracer SDK of {@link InvocationTracing}, built by hand rather than by the SDK's autoconfiguration
 * (no service loading of every provider on the class path at cold start): an OTLP/HTTP protobuf exporter over the
 * JDK's HTTP client, a batch processor (spans leave in the background while the invocation runs; {@link #flush}
 * sends the rest before it returns), the default parent-based sampler (X-Ray's decision in the trace header rules)
 * and X-Ray-valid trace ids ({@link XRayIdGenerator}).
 */
final class OtlpSpanExport {
    /** One attempt, bounded: a local collector either answers at once or is not there. */
    static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(2);

    private final URI endpoint;
    private final SdkTracerProvider provider;

    OtlpSpanExport(URI endpoint, String service, String function, String region) {
        this.endpoint = endpoint;
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.toString())
                .setTimeout(EXPORT_TIMEOUT)
                .setConnectTimeout(EXPORT_TIMEOUT)
                // no retries: a retry's backoff (1 s and more) would outlast the invocation's flush; a span batch the
                // collector refused is lost, never the invocation
                .setRetryPolicy(null)
                // the exporter's own metrics would otherwise go to GlobalOpenTelemetry, which this app never sets
                .setMeterProvider(MeterProvider::noop)
                .build();
        AttributesBuilder resource = Attributes.builder()
                .put(AttributeKey.stringKey("service.name"), service)
                .put(AttributeKey.stringKey("cloud.provider"), "aws")
                .put(AttributeKey.stringKey("cloud.platform"), "aws_lambda");
        if (!function.isEmpty()) {
            resource.put(AttributeKey.stringKey("faas.name"), function);
        }
        if (!region.isEmpty()) {
            resource.put(AttributeKey.stringKey("cloud.region"), region);
        }
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setIdGenerator(new XRayIdGenerator(IdGenerator.random()))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
    }

    URI endpoint() {
        return endpoint;
    }

    TracerProvider tracerProvider() {
        return provider;
    }

    /** True when every span ended so far was exported within {@code timeout}. */
    boolean flush(Duration timeout) {
        return provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    void close() {
        provider.shutdown().join(EXPORT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
}
