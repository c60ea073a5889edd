package io.cloudwarden.app.aws;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.testkit.InMemoryStateStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The production runtime (same configuration, same providers and loop guard) over an in-memory state store, so
 * every test profile (one Quarkus start each) begins with empty state and tests can read what the handlers stored.
 */
@Singleton
public class InMemoryRuntimeProducer {
    @Produces
    @ApplicationScoped
    @Alternative
    @Priority(1)
    Cloudwarden runtime(AwsAppConfig config, EmfMetrics metrics, InvocationTracing tracing) {
        return AwsRuntime.open(config, new InMemoryStateStore(), AwsRuntime.registry(config))
                .telemetry(metrics.telemetry(tracing.tracerProvider()));
    }
}
