package io.cloudwarden.app.aws;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.model.Cloud;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Wires the core runtime of one function instance: the providers found on the class path (the AWS one, with the
 * loop guard configured when a remediation role is set), the state store {@code cloudwarden.state} names
 * ({@code s3://bucket/prefix} in production), and the system clock.
 */
public final class AwsRuntime {
    private AwsRuntime() {
    }

    public static Cloudwarden open(AwsAppConfig config) {
        ProviderRegistry registry = registry(config);
        return open(config, StateStores.open(config.core().stateLocation(), registry, config.core()), registry);
    }

    public static Cloudwarden open(AwsAppConfig config, StateStore store, ProviderRegistry registry) {
        return new Cloudwarden(config.core(), registry, store, Clock.systemUTC());
    }

    /** ServiceLoader discovery, with the AWS provider's event parser told which role is Cloudwarden's own. */
    public static ProviderRegistry registry(AwsAppConfig config) {
        List<CloudProvider> providers = new ArrayList<>();
        ServiceLoader.load(CloudProvider.class).forEach(providers::add);
        config.remediationRoleArn().ifPresent(arn -> providers.replaceAll(p -> p.cloud() == Cloud.AWS
                ? new LoopGuardedAwsProvider(p, arn) : p));
        return ProviderRegistry.of(providers);
    }
}
