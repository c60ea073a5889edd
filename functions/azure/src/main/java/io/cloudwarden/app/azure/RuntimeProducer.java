package io.cloudwarden.app.azure;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * One Cloudwarden runtime per function instance, built from the {@code cloudwarden.*} keys of the application
 * configuration (application.properties, {@code -D}) overlaid with {@code CLOUDWARDEN_*} app settings
 * ({@link CoreConfig#fromEnvironment}). State lives where {@code cloudwarden.state} says — in Azure the Blob container
 * {@code azblob://<account>/<container>/<prefix>}. Remediation requests go to the Storage Queue when
 * {@code cloudwarden.azure.queue} is set ({@link AzureQueueSink}), else they are handled in process.
 *
 * <p>Tests replace {@link #runtime()} with an {@code @Alternative @Priority(1)} producer.
 */
@ApplicationScoped
public class RuntimeProducer {
    @jakarta.inject.Inject
    io.opentelemetry.api.OpenTelemetry otel;

    private static final Logger LOG = Logger.getLogger(RuntimeProducer.class);

    @Produces
    @ApplicationScoped
    public Cloudwarden runtime() {
        Cloudwarden cw = Cloudwarden.fromConfig(CoreConfig.fromEnvironment(applicationProperties(), System.getenv()));
        LOG.infof("cloudwarden runtime ready (state: %s)", cw.store().describe());
        return cw;
    }

    @Produces
    @ApplicationScoped
    public Functions functions(Cloudwarden cw) {
        // the extension's OpenTelemetry (a no-op while its SDK is disabled): one place, also for tests' runtimes
        cw.telemetry(io.cloudwarden.functions.telemetry.Telemetry.of(otel));
        Config config = ConfigProvider.getConfig();
        Optional<AzureQueueSink> sink = AzureQueueSink.fromConfig(cw.config(),
                name -> config.getOptionalValue(name, String.class));
        sink.ifPresent(s -> LOG.infof("remediation requests go to Storage Queue %s", s.queueName()));
        return sink.map(s -> Functions.withSink(cw, s)).orElseGet(() -> Functions.inProcess(cw));
    }

    /**
     * Wires everything when the process starts, so a configuration error (a bad state location, a queue without a
     * storage account) stops the custom handler at start-up with its message in the host's log, instead of failing
     * every invocation later.
     */
    void onStart(@Observes StartupEvent event, Functions functions) {
        LOG.debugf("functions wired over %s", functions.runtime().store().describe());
    }

    void close(@Disposes Cloudwarden cw) {
        cw.close();
    }

    /** The {@code cloudwarden.*} keys MicroProfile Config knows (application.properties, system properties). */
    static Map<String, String> applicationProperties() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> values = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(CoreConfig.PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> values.put(name, v));
            }
        }
        return values;
    }
}
