package io.cloudwarden.app.aws;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.time.Clock;

/**
 * Trace ids X-Ray accepts: X-Ray's trace id {@code 1-<8 hex: epoch seconds>-<24 hex: random>} is the W3C trace id
 * {@code <8 hex seconds><24 hex random>}, and the collector's {@code awsxray} exporter drops a span whose trace id
 * does not start with a recent time (a random W3C trace id). Only spans that start a trace get one here (a Lambda invocation always has X-Ray's parent;
 * a queue message whose {@code traceparent} is missing or malformed does not); span ids are the SDK's random ones.
 *
 * <p>The contrib artifact {@code io.opentelemetry.contrib:opentelemetry-aws-xray} has this generator, but its latest
 * release (1.43.0) is built on SDK 1.46 and brings OkHttp, Kotlin and Jackson for its remote sampler, which this
 * app does not use.
 */
final class XRayIdGenerator implements IdGenerator {
    private final IdGenerator random;
    private final Clock clock;

    XRayIdGenerator(IdGenerator random) {
        this(random, Clock.systemUTC());
    }

    XRayIdGenerator(IdGenerator random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String generateSpanId() {
        return random.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String seconds = String.format("%08x", clock.instant().getEpochSecond() & 0xffffffffL);
        return seconds + random.generateTraceId().substring(8);
    }
}
