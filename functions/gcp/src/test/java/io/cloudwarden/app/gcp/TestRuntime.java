package io.cloudwarden.app.gcp;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.testkit.InMemoryStateStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;

/**
 * The app's runtime for the function tier: the real configuration (pointing every Google API at WireMock) and the
 * real GCP provider found by ServiceLoader, with state in memory instead of a GCS bucket.
 */
@ApplicationScoped
public class TestRuntime {
    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    Cloudwarden runtime(Config config) {
        return new Cloudwarden(RuntimeProducer.coreConfig(config), ProviderRegistry.discover(),
                new InMemoryStateStore(), Clock.systemUTC());
    }
}
