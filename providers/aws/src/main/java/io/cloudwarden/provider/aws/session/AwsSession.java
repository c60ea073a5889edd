package io.cloudwarden.provider.aws.session;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.concurrency.AdaptiveLimiter;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import io.cloudwarden.engine.spi.concurrency.Quota;
import io.cloudwarden.engine.spi.concurrency.ReadLimits;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * SDK clients for one {@link ProviderConfig}, built lazily and cached per (service, account, region). All clients
 * share one sync HTTP client ({@link SyncHttpClients}, settings.httpClient) and the SDK's adaptive retry mode (client-side rate
 * limiting on throttling), with attempts and backoff configurable for fast tests.
 *
 * <p>Settings: {@code accessKeyId}/{@code secretAccessKey}/{@code sessionToken} (static credentials, else the default
 * chain); {@code assumeRole} (role name assumed in every configured account) and {@code externalId};
 * {@code region} (home region for STS and DescribeRegions, default {@code us-east-1}); {@code maxAttempts} (default 5);
 * {@code retryBaseDelayMs} (default 100) and {@code retryMaxDelayMs} (default 20000); {@code connectTimeoutMs}
 * (default 5000) and {@code readTimeoutMs} (default 30000); {@code maxConcurrency} (default none: each quota scope's
 * own maximum, see {@link #quota}) caps the per-resource reads in flight per quota scope.
 */
public final class AwsSession implements ProviderSession {
    private final ProviderConfig config;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider baseCredentials;
    private final Region homeRegion;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> accountCredentials = new ConcurrentHashMap<>();
    private final ReadLimits readLimits;
    private final CallStatistics statistics = new CallStatistics(Cloud.AWS);
    private volatile String callerAccount;
    private volatile List<ScanTarget> targets;

    public AwsSession(ProviderConfig config) {
        this.config = config;
        this.homeRegion = Region.of(config.setting("region").orElse("us-east-1"));
        this.readLimits = new ReadLimits(intSetting("maxConcurrency", 0));
        String httpClient = config.setting(SyncHttpClients.SETTING).map(String::trim)
                .orElse(SyncHttpClients.URL_CONNECTION);
        if (httpClient.equals(SyncHttpClients.URL_CONNECTION)) {
            sizeKeepAlivePool();
        }
        this.http = new CompleteBodyHttpClient(SyncHttpClients.build(httpClient,
                Duration.ofMillis(intSetting("connectTimeoutMs", 5000)),
                Duration.ofMillis(intSetting("readTimeoutMs", 30000))));
        this.baseCredentials = baseCredentials(config);
        // Validate the retry settings now (clients are built lazily) so a typo is reported at open time.
        retryStrategy();
    }

    private static AwsCredentialsProvider baseCredentials(ProviderConfig config) {
        Optional<String> id = config.setting("accessKeyId");
        Optional<String> secret = config.setting("secretAccessKey");
        if (id.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("settings.accessKeyId and settings.secretAccessKey: expected both or "
                    + "neither, but only " + (id.isPresent() ? "accessKeyId" : "secretAccessKey") + " was given");
        }
        if (id.isPresent()) {
            Optional<String> token = config.setting("sessionToken");
            return StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(id.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(id.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * The JDK's HTTP client (under UrlConnectionHttpClient) keeps at most {@code http.maxConnections} idle connections
     * per host (default 5): with more reads in flight, every call beyond the fifth would open and close a connection.
     * Sized to the largest per-scope concurrency unless the user set it. It is read once per JVM, when the first
     * HTTP connection is made, so it is set before any client is built (see providers/aws/README.md, "HTTP client").
     */
    private static void sizeKeepAlivePool() {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
        }
    }

    /**
     * Idle keep-alive connections kept per host (and the pool of the optional clients): twice the largest default
     * quota below (S3's 64), so a second scope reading the same host (an endpoint override) keeps its connections too.
     */
    static final int KEEP_ALIVE_CONNECTIONS = 128;

    /**
     * Default read quotas per scope. Concurrency starts at {@code initial} and adapts (AIMD) between 1 and {@code max}
     * on the SDK's throttling signals; {@code settings.maxConcurrency} caps them all (1 = one read after another).
     * <ul>
     *   <li>S3 (per account; bucket configuration reads go to each bucket's region): S3 documents no account-wide
     *       rate for bucket sub-resource reads, only per-prefix request rates (5,500 GET/HEAD per second), so the
     *       bound is about the client, not S3: 32 buckets in flight, growing to 64 while nothing is throttled. A
     *       region's round trip, not the CPU, bounds a scan against AWS: with answers delayed 20 ms, 10,000 buckets
     *       took 55.6 s at 32 and 36.7 s at 64; on loopback, where the CPU bounds it, 64 cost about 5 % more
     *       (docs/PERFORMANCE.md, "Reads in flight against a distant region").</li>
     *   <li>EC2 (per account-region): non-mutating Describe* actions share a token bucket of 100 requests refilled at
     *       20 per second: 8 in flight, at most 20.</li>
     *   <li>IAM (per account, global): IAM's control plane is throttled account-wide and publishes no rate: 4 in flight,
     *       at most 8.</li>
     *   <li>KMS (per account-region): DescribeKey, GetKeyRotationStatus and ListResourceTags have per-second request
     *       quotas per account and region: 8 in flight, at most 16.</li>
     * </ul>
     */
    static Quota quota(String service) {
        return switch (service) {
            case "s3" -> Quota.concurrency("s3", 32, 64);
            case "ec2" -> Quota.concurrency("ec2", 8, 20);
            case "iam" -> Quota.concurrency("iam", 4, 8);
            case "kms" -> Quota.concurrency("kms", 8, 16);
            default -> Quota.concurrency(service, 4, 8);
        };
    }

    /** The quota scope of a client: S3 and IAM per account, STS per session, the regional services per account-region. */
    static String scopeKey(String service, String account, String region) {
        return switch (service) {
            case "s3", "iam" -> service + "|" + account;
            case "sts" -> service;
            default -> service + "|" + account + "|" + region;
        };
    }

    /** The limiter of the quota scope that reads of {@code service} in {@code account}/{@code region} share. */
    public AdaptiveLimiter readLimiter(String service, String account, String region) {
        return readLimits.scope(scopeKey(service, account, region), quota(service));
    }

    @Override
    public List<ApiCalls> callStatistics() {
        return statistics.totals();
    }

    int intSetting(String key, int dflt) {
        Optional<String> v = config.setting(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("settings." + key + ": expected a non-negative integer but was '"
                    + v.get() + "'");
        }
    }

    /**
     * Adaptive retry: token-bucket client-side rate limiting when throttled, exponential backoff with jitter. A new
     * strategy per client: the adaptive rate limiter then tracks each API endpoint (account × region) separately.
     * Besides what the SDK retries (throttling, 5xx, I/O errors, which include bodies cut off mid-way, see
     * {@link CompleteBodyHttpClient}), a body that does not parse is retried too: from an AWS endpoint that is a
     * response cut short (a connection closed before the end of a body sent without a length), not a lasting answer.
     */
    RetryStrategy retryStrategy() {
        int maxAttempts = Math.max(1, intSetting("maxAttempts", 5));
        Duration base = Duration.ofMillis(intSetting("retryBaseDelayMs", 100));
        Duration max = Duration.ofMillis(Math.max(intSetting("retryMaxDelayMs", 20000), 1));
        BackoffStrategy backoff = base.isZero() ? BackoffStrategy.retryImmediately()
                : BackoffStrategy.exponentialDelay(base, max);
        return AwsRetryStrategy.forRetryMode(RetryMode.ADAPTIVE_V2).toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .retryOnException(AwsSession::isUnparseableBody)
                .build();
    }

    /** The SDK's unmarshalling failure of a body that is not well-formed XML or JSON (read completely, see above). */
    static boolean isUnparseableBody(Throwable t) {
        if (!(t instanceof software.amazon.awssdk.core.exception.SdkClientException) || t.getMessage() == null) {
            return false;
        }
        String m = t.getMessage();
        return m.startsWith("Could not parse XML response") || m.startsWith("Unable to unmarshall response")
                || m.startsWith("Unable to parse HTTP response content");
    }

    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> B configure(B builder, String service, String account, String region) {
        AwsCallMetrics metrics = new AwsCallMetrics(service, statistics, readLimiter(service, account, region));
        builder.httpClient(http)
                .region(Region.of(region))
                .credentialsProvider(credentials(account))
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy()).addMetricPublisher(metrics));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkAutoCloseable> C client(String service, String account, String region, Supplier<C> make) {
        return (C) clients.computeIfAbsent(service + "|" + account + "|" + region, k -> make.get());
    }

    /** The region used for global services (IAM, S3 listing, STS). */
    public String homeRegion() {
        return homeRegion.id();
    }

    public S3Client s3(String account, String region) {
        String r = region == null || region.isBlank() || io.cloudwarden.engine.spi.Shard.GLOBAL.equals(region)
                ? homeRegion.id() : region;
        return client("s3", account, r, () -> {
            var b = configure(S3Client.builder(), "s3", account, r);
            if (config.endpoint().isPresent()) {
                // Emulators (LocalStack, s3rver, WireMock) want path-style, plain payloads and no optional checksums.
                b.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false).build())
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            return b.build();
        });
    }

    public Ec2Client ec2(String account, String region) {
        return client("ec2", account, region, () -> configure(Ec2Client.builder(), "ec2", account, region).build());
    }

    /** Systems Manager (patch state, patch installation) in one account-region. */
    public SsmClient ssm(String account, String region) {
        return client("ssm", account, region, () -> configure(SsmClient.builder(), "ssm", account, region).build());
    }

    /** IAM is global: its client always uses the home region (aws-global endpoint). */
    public IamClient iam(String account) {
        return client("iam", account, "global", () -> {
            var b = configure(IamClient.builder(), "iam", account, homeRegion.id());
            if (config.endpoint().isEmpty()) {
                b.region(Region.AWS_GLOBAL);
            }
            return b.build();
        });
    }

    /** CloudWatch (metrics) in one account-region: instance utilization. */
    public CloudWatchClient cloudWatch(String account, String region) {
        return client("monitoring", account, region,
                () -> configure(CloudWatchClient.builder(), "monitoring", account, region).build());
    }

    public AutoScalingClient autoScaling(String account, String region) {
        return client("autoscaling", account, region,
                () -> configure(AutoScalingClient.builder(), "autoscaling", account, region).build());
    }

    public KmsClient kms(String account, String region) {
        return client("kms", account, region, () -> configure(KmsClient.builder(), "kms", account, region).build());
    }

    /**
     * SQS in {@code region} (else the home region) with the configuration's own credentials (no role assumed): the
     * AWS function app's work-queue sender, built like every other client (HTTP client, endpoint, retry).
     */
    public SqsClient sqs(Optional<String> region) {
        String r = region.filter(s -> !s.isBlank()).orElse(homeRegion.id());
        return client("sqs", "", r, () -> configure(SqsClient.builder(), "sqs", "", r).build());
    }

    private StsClient baseSts() {
        return client("sts", "", homeRegion.id(), () -> {
            AwsCallMetrics metrics = new AwsCallMetrics("sts", statistics, readLimiter("sts", "", homeRegion.id()));
            var b = StsClient.builder().httpClient(http).region(homeRegion).credentialsProvider(baseCredentials)
                    .overrideConfiguration(o -> o.retryStrategy(retryStrategy()).addMetricPublisher(metrics));
            config.endpoint().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    /**
     * Credentials for one account: with {@code assumeRole} set, an
     * auto-refreshing STS AssumeRole provider for {@code arn:aws:iam::ACCOUNT:role/ROLE}; else the base credentials.
     */
    AwsCredentialsProvider credentials(String account) {
        Optional<String> role = config.setting("assumeRole");
        if (role.isEmpty() || account == null || account.isBlank()) {
            return baseCredentials;
        }
        return accountCredentials.computeIfAbsent(account, a -> {
            String roleArn = role.get().startsWith("arn:") ? role.get().replace("{account}", a)
                    : "arn:aws:iam::" + a + ":role/" + role.get();
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(baseSts())
                    .refreshRequest(r -> {
                        r.roleArn(roleArn).roleSessionName("cloudwarden-scan");
                        config.setting("externalId").ifPresent(r::externalId);
                    })
                    .build();
        });
    }

    /** The account of the configured credentials (STS GetCallerIdentity), cached. */
    public String callerAccount() {
        if (callerAccount == null) {
            callerAccount = AwsCalls.call("sts:GetCallerIdentity", () -> baseSts().getCallerIdentity().account());
        }
        return callerAccount;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    /**
     * Configured accounts (organization fan-out, with {@code assumeRole}) else the caller's own account; configured
     * regions else those EC2 DescribeRegions reports as enabled for the first account.
     */
    @Override
    public List<ScanTarget> targets() {
        if (targets == null) {
            List<String> accounts = config.accounts().isEmpty() ? List.of(callerAccount()) : config.accounts();
            List<String> regions = config.regions().isEmpty() ? describeRegions(accounts.get(0)) : config.regions();
            List<ScanTarget> out = new ArrayList<>();
            for (String a : accounts) {
                out.add(new ScanTarget(a, regions));
            }
            targets = List.copyOf(out);
        }
        return targets;
    }

    private List<String> describeRegions(String account) {
        return AwsCalls.call("ec2:DescribeRegions", () -> ec2(account, homeRegion.id()).describeRegions().regions()
                .stream().map(software.amazon.awssdk.services.ec2.model.Region::regionName).sorted().toList());
    }

    @Override
    public void close() {
        clients.values().forEach(SdkAutoCloseable::close);
        clients.clear();
        accountCredentials.values().forEach(c -> {
            if (c instanceof SdkAutoCloseable s) {
                s.close();
            }
        });
        http.close();
    }
}
