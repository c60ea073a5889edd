package io.cloudwarden.provider.azure.session;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.cloudwarden.engine.spi.concurrency.AdaptiveLimiter;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import io.cloudwarden.engine.spi.concurrency.Quota;
import io.cloudwarden.engine.spi.concurrency.ReadLimits;
import io.cloudwarden.model.ApiCalls;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Azure SDK plumbing for one configuration: the credential, an {@link HttpPipeline} per token audience (Resource
 * Manager, Key Vault, Microsoft Graph) and the Resource Graph limiter.
 *
 * <p>Settings: {@code tenantId}/{@code clientId}/{@code clientSecret} select a ClientSecretCredential, otherwise
 * DefaultAzureCredential is used. With an endpoint override and no client secret configured, a static bearer token
 * ({@code staticToken}, default {@value #DUMMY_TOKEN}) is sent instead, so recorded-response servers need no
 * identity. {@code maxRetries} (default 3), {@code retryBaseDelayMillis} (800) and {@code retryMaxDelayMillis}
 * (30000) tune the SDK's exponential retry; a {@code Retry-After} header always wins over the computed delay.
 */
public final class AzureSession implements ProviderSession {
    public static final URI PUBLIC_ARM = URI.create("https://management.azure.com");
    public static final String DUMMY_TOKEN = "cloudwarden-static-test-token";
    static final String ARM_SCOPE = "https://management.azure.com/.default";
    static final String VAULT_SCOPE = "https://vault.azure.net/.default";
    /** The token audience of the Azure Monitor metrics data plane ({@code *.metrics.monitor.azure.com}). */
    static final String METRICS_SCOPE = "https://metrics.monitor.azure.com/.default";
    static final String SUBSCRIPTIONS_API = "2022-12-01";

    private final ProviderConfig config;
    private final AzureRest arm;
    private final AzureRest vault;
    private final GraphRest graph;
    private final AzureRest metrics;
    private final List<ScanTarget> targets;
    private final CallStatistics statistics = new CallStatistics(Cloud.AZURE);
    private final ReadLimits readLimits;

    public AzureSession(ProviderConfig config) {
        this(config, HttpClient.createDefault(), RateLimiter.resourceGraphDefault());
    }

    /** Visible for tests: a specific HTTP client and limiter. */
    public AzureSession(ProviderConfig config, HttpClient httpClient, RateLimiter limiter) {
        this.config = config;
        this.readLimits = new ReadLimits(intSetting(config, "maxConcurrency", 0));
        TokenCredential credential = credential(config);
        URI root = config.endpoint().orElse(PUBLIC_ARM);
        this.arm = new AzureRest(pipeline(config, httpClient, credential, ARM_SCOPE, counting("arm")), root, limiter);
        this.vault = new AzureRest(pipeline(config, httpClient, credential, VAULT_SCOPE, counting("keyvault")), root,
                limiter);
        this.metrics = new AzureRest(pipeline(config, httpClient, credential, METRICS_SCOPE, counting("monitor")),
                root, limiter);
        this.graph = new GraphRest(pipeline(config, httpClient, credential, GraphRest.scope(config),
                counting("msgraph")),
                GraphRest.root(config), config.setting("tenantId"));
        this.targets = List.copyOf(resolveTargets());
    }

    public static TokenCredential credential(ProviderConfig config) {
        Optional<String> tenant = config.setting("tenantId");
        Optional<String> client = config.setting("clientId");
        Optional<String> secret = config.setting("clientSecret");
        if (tenant.isPresent() && client.isPresent() && secret.isPresent()) {
            return new ClientSecretCredentialBuilder().tenantId(tenant.get()).clientId(client.get())
                    .clientSecret(secret.get()).build();
        }
        if (secret.isPresent() || (client.isPresent() && tenant.isEmpty())) {
            throw new IllegalArgumentException("settings.tenantId/clientId/clientSecret: expected all three for a "
                    + "client-secret credential, or none of them");
        }
        if (config.endpoint().isPresent()) {
            String token = config.setting("staticToken").orElse(DUMMY_TOKEN);
            return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        }
        return new DefaultAzureCredentialBuilder().build();
    }

    private CallCounting counting(String service) {
        return new CallCounting(service, statistics, sub -> readLimits.existing(ARM_READS + "|" + sub));
    }

    static final String ARM_READS = "arm";

    /**
     * ARM reads per subscription: Resource Manager throttles reads per subscription and principal with a token bucket
     * (250 requests, refilled at 25 per second): 8 reads in flight, adapting between 1 and 16 on HTTP 429.
     * {@code settings.maxConcurrency} caps it (1 = one read after another). Resource Graph queries keep their own
     * rate limiter (15 queries per 5 seconds, {@link RateLimiter}).
     */
    static final Quota ARM_READ_QUOTA = Quota.concurrency("arm reads", 8, 16);

    /** The limiter of ARM reads of one subscription (the enrichment reads of one shard). */
    public AdaptiveLimiter armReads(String subscription) {
        return readLimits.scope(ARM_READS + "|" + subscription, ARM_READ_QUOTA);
    }

    @Override
    public List<ApiCalls> callStatistics() {
        return statistics.totals();
    }

    private static HttpPipeline pipeline(ProviderConfig config, HttpClient httpClient, TokenCredential credential,
            String scope, CallCounting counting) {
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions()
                .setMaxRetries(intSetting(config, "maxRetries", 3))
                .setBaseDelay(Duration.ofMillis(intSetting(config, "retryBaseDelayMillis", 800)))
                .setMaxDelay(Duration.ofMillis(intSetting(config, "retryMaxDelayMillis", 30_000)));
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        policies.add(new UserAgentPolicy("cloudwarden-azure"));
        policies.add(counting.perCall());
        policies.add(new RetryPolicy(new RetryOptions(backoff)));
        policies.add(counting.perAttempt());
        policies.add(new BearerTokenAuthenticationPolicy(credential, scope));
        return new HttpPipelineBuilder().httpClient(httpClient).policies(policies.toArray(new HttpPipelinePolicy[0]))
                .build();
    }

    static int intSetting(ProviderConfig config, String key, int fallback) {
        Optional<String> v = config.setting(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(v.get().trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("settings." + key + ": expected a non-negative integer but was '"
                    + v.get() + "'");
        }
    }

    private List<ScanTarget> resolveTargets() {
        List<String> subs = config.accounts();
        if (subs.isEmpty()) {
            List<String> found = new ArrayList<>();
            arm.list("/subscriptions", SUBSCRIPTIONS_API, "Microsoft.Resources/subscriptions/read",
                    s -> found.add(s.path("subscriptionId").asText()));
            subs = found;
        }
        return subs.stream().map(s -> new ScanTarget(s, config.regions())).toList();
    }

    /** Resource Manager (and Resource Graph) REST through the SDK pipeline. */
    public AzureRest arm() {
        return arm;
    }

    /**
     * The Key Vault data-plane base URL of a vault. With an endpoint override, vault calls go to
     * {@code <endpoint>/keyvault/<vaultName>} so a recorded-response server can serve them too.
     */
    public String vaultBaseUrl(String vaultName, String vaultUri) {
        if (config.endpoint().isPresent()) {
            return arm.root() + "/keyvault/" + vaultName;
        }
        return vaultUri.endsWith("/") ? vaultUri.substring(0, vaultUri.length() - 1) : vaultUri;
    }

    /**
     * Microsoft Graph v1.0 REST (token audience https://graph.microsoft.com, or the configured Graph root's) for the
     * Entra ID types; root per {@link GraphRest#root}.
     */
    public GraphRest graph() {
        return graph;
    }

    /**
     * Azure Monitor metrics data-plane REST (token audience https://metrics.monitor.azure.com), for the metrics batch
     * API ({@code metrics:getBatch}); its host is regional, see {@link #metricsRoot}.
     */
    public AzureRest metrics() {
        return metrics;
    }

    /**
     * The metrics data-plane root of a region: {@code https://<region>.metrics.monitor.azure.com}. With an endpoint
     * override, {@code <endpoint>/metrics/<region>}, so a recorded-response server serves every region too.
     */
    public String metricsRoot(String region) {
        String r = region.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (config.endpoint().isPresent()) {
            return arm.root() + "/metrics/" + r;
        }
        return "https://" + r + ".metrics.monitor.azure.com";
    }

    /** Key Vault data-plane REST (token audience https://vault.azure.net). */
    public AzureRest vault() {
        return vault;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    @Override
    public List<ScanTarget> targets() {
        return targets;
    }

    @Override
    public void close() {
        // the pipelines hold no per-session resources: the shared Netty client is owned by azure-core
    }
}
