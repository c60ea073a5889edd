package io.cloudwarden.app.aws;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.chatops.ChatOpsRoutes;
import io.cloudwarden.functions.chatops.HttpClientResponsePoster;
import io.cloudwarden.functions.chatops.ResponseUrls;
import io.cloudwarden.model.Cloud;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * One core runtime per function instance (a Lambda execution environment), built on first use and reused by every
 * invocation; closed (SDK clients released) when Quarkus shuts down. Tests replace {@link #runtime} with an
 * {@code @Alternative @Priority(1)} producer (e.g. an in-memory state store).
 */
@Singleton
public class RuntimeProducer {
    private static final Logger LOG = Logger.getLogger(RuntimeProducer.class);

    @Produces
    @Singleton
    AwsAppConfig config() {
        AwsAppConfig config = AwsAppConfig.from(ConfigProvider.getConfig(), System.getenv());
        // Secrets given as Secrets Manager ARNs are read now, once per execution environment (see RuntimeSecrets).
        try (RuntimeSecrets secrets = new RuntimeSecrets(config.core().provider(io.cloudwarden.model.Cloud.AWS))) {
            return new AwsAppConfig(secrets.resolve(config.core()));
        }
    }

    /** This execution environment's metrics, written as EMF lines after each invocation (docs/TELEMETRY.md). */
    @Produces
    @Singleton
    EmfMetrics metrics(AwsAppConfig config) {
        return new EmfMetrics(config.core().get(EmfMetrics.NAMESPACE_KEY).orElse(EmfMetrics.DEFAULT_NAMESPACE),
                System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", ""), java.time.Clock.systemUTC());
    }

    /**
     * This execution environment's span export into X-Ray: built when an OTLP endpoint is configured
     * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, which infra/aws points at the ADOT collector layer), else off and nothing
     * of the tracer SDK is loaded (docs/TELEMETRY.md).
     */
    @Produces
    @Singleton
    InvocationTracing tracing() {
        org.eclipse.microprofile.config.Config config = ConfigProvider.getConfig();
        InvocationTracing tracing = InvocationTracing.from(key -> config.getOptionalValue(key, String.class),
                System.getenv());
        if (tracing.exporting()) {
            LOG.info("the invocations' spans are exported by OTLP (X-Ray trace context)");
        }
        return tracing;
    }

    void close(@Disposes InvocationTracing tracing) {
        tracing.close();
    }

    @Produces
    @ApplicationScoped
    Cloudwarden runtime(AwsAppConfig config, EmfMetrics metrics, InvocationTracing tracing) {
        Cloudwarden cw = AwsRuntime.open(config).telemetry(metrics.telemetry(tracing.tracerProvider()));
        LOG.infof("cloudwarden runtime ready (state: %s, apply: %s)", cw.store().describe(),
                !cw.config().guardrails().dryRun());
        return cw;
    }

    void close(@Disposes Cloudwarden cw) {
        cw.close();
    }

    /**
     * The use cases over the runtime. Remediation requests go to the SQS work queue when
     * {@code cloudwarden.aws.queue-url} is set, else they are handled in process.
     */
    @Produces
    @Singleton
    AwsFunctions functions(Cloudwarden cw, AwsAppConfig config) {
        Optional<SqsRemediationSink> sink = config.queueUrl()
                .map(url -> new SqsRemediationSink(url, config.core().provider(Cloud.AWS)));
        sink.ifPresent(s -> LOG.info("remediation requests go to the SQS work queue"));
        Functions functions = sink.<Functions>map(s -> Functions.withSink(cw, s))
                .orElseGet(() -> Functions.inProcess(cw));
        // Lambda freezes the execution environment once the response is returned, so a background thread would not
        // run. With the work queue, a long chat command (scan, drift, approve) is answered at once and sent to the
        // queue as a ChatWork CloudEvent; the queue function runs it and posts to response_url. Without a queue it
        // runs on the request thread. Only the signature-verified route creates ChatWork, and only Cloudwarden's
        // functions may write to the queue (IAM), so the queue consumer trusts it (see ChatWork).
        ChatOpsRoutes routes = ChatOpsRoutes.create(cw, functions.detector(), functions.remediation(),
                new HttpClientResponsePoster(ResponseUrls.from(cw.config())), Runnable::run)
                .registerOn(functions.gateway());
        sink.ifPresent(s -> routes.slack().deferTo(s::submit));
        functions.batch().onChatWork(routes.slack()::run);
        return new AwsFunctions(functions, sink);
    }

    void close(@Disposes AwsFunctions functions) {
        functions.sink().ifPresent(SqsRemediationSink::close);
    }
}
