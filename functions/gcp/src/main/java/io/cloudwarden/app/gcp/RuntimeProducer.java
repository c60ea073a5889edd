package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.Config;

/**
 * One Cloudwarden runtime per container instance. Configuration: {@code cloudwarden.*} from the Quarkus config
 * (application.properties, system properties) overlaid with {@code CLOUDWARDEN_*} environment variables
 * ({@link CoreConfig#fromEnvironment}); {@code cloudwarden.state} is a {@code gs://bucket/prefix} in production.
 * Remediation requests go to {@code cloudwarden.gcp.topic} when it is set, else are handled in process. Tests
 * replace {@link #runtime} with an {@code @Alternative @Priority(1)} producer.
 */
@ApplicationScoped
public class RuntimeProducer {
    @jakarta.inject.Inject
    io.opentelemetry.api.OpenTelemetry otel;

    private volatile Optional<PubSubRemediationSink> sink = Optional.empty();

    @Produces
    @ApplicationScoped
    public Cloudwarden runtime(Config config) {
        return Cloudwarden.fromConfig(coreConfig(config));
    }

    public void close(@Disposes Cloudwarden cw) {
        cw.close();
    }

    @Produces
    @ApplicationScoped
    public Functions functions(Cloudwarden cw) {
        // the extension's OpenTelemetry (a no-op while its SDK is disabled): one place, also for tests' runtimes
        cw.telemetry(io.cloudwarden.functions.telemetry.Telemetry.of(otel));
        GcpAppSettings settings = GcpAppSettings.from(cw.config());
        if (settings.topic().isPresent()) {
            PubSubRemediationSink s = PubSubRemediationSink.create(settings);
            sink = Optional.of(s);
            return Functions.withSink(cw, s);
        }
        return Functions.inProcess(cw);
    }

    @Produces
    @ApplicationScoped
    public OidcCheck oidc(Cloudwarden cw) {
        GcpAppSettings settings = GcpAppSettings.from(cw.config());
        return new OidcCheck(settings.oidcAudiences(), settings.oidcEmails(), cw.clock());
    }

    /**
     * Builds the runtime while the container starts (Cloud Run gives startup extra CPU) rather than on the first
     * request, so a bad configuration fails the revision's startup naming the key instead of every request.
     */
    void eager(@Observes StartupEvent startup, Functions functions) {
        functions.runtime().store().describe();
    }

    @PreDestroy
    void closeSink() {
        sink.ifPresent(PubSubRemediationSink::close);
    }

    /** The {@code cloudwarden.*} keys the Quarkus config knows, then the environment on top. */
    public static CoreConfig coreConfig(Config config) {
        Map<String, String> base = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(CoreConfig.PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> base.put(name, v));
            }
        }
        return CoreConfig.fromEnvironment(base, System.getenv());
    }
}
