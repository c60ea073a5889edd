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
        return AwsAppConfig.from(ConfigProvider.getConfig(), System.getenv());
    }

    @Produces
    @ApplicationScoped
    Cloudwarden runtime(AwsAppConfig config) {
        Cloudwarden cw = AwsRuntime.open(config);
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
        // Lambda freezes the execution environment once the response is returned, so a chat command's
        // "background" work would not run: run it on the request thread (the answer still goes to response_url).
        ChatOpsRoutes.create(cw, functions.detector(), functions.remediation(),
                new HttpClientResponsePoster(ResponseUrls.from(cw.config())), Runnable::run)
                .registerOn(functions.gateway());
        return new AwsFunctions(functions, sink);
    }

    void close(@Disposes AwsFunctions functions) {
        functions.sink().ifPresent(SqsRemediationSink::close);
    }
}
