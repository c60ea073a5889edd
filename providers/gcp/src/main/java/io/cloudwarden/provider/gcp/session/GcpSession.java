package io.cloudwarden.provider.gcp.session;

import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.asset.v1.AssetServiceClient;
import com.google.cloud.asset.v1.AssetServiceSettings;
import com.google.cloud.compute.v1.AutoscalersClient;
import com.google.cloud.compute.v1.AutoscalersSettings;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.FirewallsSettings;
import com.google.cloud.compute.v1.GlobalOperationsClient;
import com.google.cloud.compute.v1.GlobalOperationsSettings;
import com.google.cloud.compute.v1.InstanceGroupManagersClient;
import com.google.cloud.compute.v1.InstanceGroupManagersSettings;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersClient;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersSettings;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Live Google Cloud clients for one {@link ProviderConfig}. Clients are created lazily (a scan of buckets never opens
 * a Compute client) and closed together.
 *
 * <p>Transport: every client uses HTTP/JSON (REST) so that an endpoint override can point all of them at one
 * recorded-response server: Cloud Asset Inventory and Cloud KMS through their {@code newHttpJsonBuilder()}, Compute
 * (REST-only), Storage through its HTTP transport, IAM through the Google HTTP client library.
 *
 * <p>Retries: the Google clients retry UNAVAILABLE for up to a minute by default; here every client gets the same
 * short, configurable {@link RetrySettings} ({@link GcpSettings}) and RESOURCE_EXHAUSTED (HTTP 429) is retried too.
 */
public final class GcpSession implements ProviderSession {
    static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private final ProviderConfig config;
    private final GcpSettings settings;
    private final Credentials credentials;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CallStatistics statistics = new CallStatistics(Cloud.GCP);

    private final Supplier<AssetServiceClient> asset = memo(this::newAssetClient);
    private final Supplier<Storage> storage = memo(this::newStorage);
    private final Supplier<FirewallsClient> firewalls = memo(this::newFirewallsClient);
    private final Supplier<InstancesClient> instances = memo(this::newInstancesClient);
    private final Supplier<InstanceGroupManagersClient> groupManagers = memo(this::newGroupManagersClient);
    private final Supplier<RegionInstanceGroupManagersClient> regionGroupManagers =
            memo(this::newRegionGroupManagersClient);
    private final Supplier<AutoscalersClient> autoscalers = memo(this::newAutoscalersClient);
    private final Supplier<GlobalOperationsClient> globalOperations = memo(this::newGlobalOperationsClient);
    private final Supplier<KeyManagementServiceClient> kms = memo(this::newKmsClient);
    private final Supplier<HttpRequestFactory> iamHttp = memo(this::newIamRequestFactory);

    public GcpSession(ProviderConfig config) {
        this.config = config;
        this.settings = GcpSettings.from(config);
        this.credentials = loadCredentials(config, settings);
    }

    /** Package-visible for tests: a session with explicit credentials. */
    GcpSession(ProviderConfig config, Credentials credentials) {
        this.config = config;
        this.settings = GcpSettings.from(config);
        this.credentials = credentials;
    }

    /**
     * {@code credentialsFile} (service account JSON) wins; else, with an endpoint override, requests go
     * unauthenticated ({@link NoCredentials}: emulators and recorded-response servers); else Application Default
     * Credentials.
     */
    private static Credentials loadCredentials(ProviderConfig config, GcpSettings settings) {
        Optional<Path> file = settings.credentialsFile();
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                return GoogleCredentials.fromStream(in).createScoped(CLOUD_PLATFORM_SCOPE);
            } catch (IOException | RuntimeException e) {
                throw new ProviderException(Cloud.GCP, "auth:credentialsFile", "InvalidCredentials", false,
                        "settings.credentialsFile: cannot read a service account JSON key from '" + file.get()
                                + "' (" + e.getClass().getSimpleName() + ")", null);
            }
        }
        if (config.endpoint().isPresent()) {
            return NoCredentials.getInstance();
        }
        try {
            return GoogleCredentials.getApplicationDefault().createScoped(CLOUD_PLATFORM_SCOPE);
        } catch (IOException e) {
            throw new ProviderException(Cloud.GCP, "auth:applicationDefault", "NoCredentials", false,
                    "no Google credentials: set settings.credentialsFile or configure Application Default "
                            + "Credentials (GOOGLE_APPLICATION_CREDENTIALS / gcloud auth application-default login)",
                    e);
        }
    }

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    public GcpSettings settings() {
        return settings;
    }

    /**
     * Calls per service: of the gax clients (Cloud Asset Inventory, Compute, KMS), counted by {@link GcpCallCounting},
     * and of the REST APIs without one (OS Config, Cloud Monitoring, IAM), counted by {@link #execute}. Not counted:
     * the Cloud Storage client (the event path's bucket re-reads and remediation; a scan reads buckets through Cloud
     * Asset Inventory).
     */
    @Override
    public List<ApiCalls> callStatistics() {
        return statistics.totals();
    }

    /** Configured project ids, each scanned across all its locations (CAI is location-agnostic). */
    /**
     * The configured projects; with none configured and an {@code organization} setting, the ACTIVE projects Cloud
     * Asset Inventory lists under {@code organizations/ORG} (needs {@code cloudasset.assets.listResource} there).
     */
    @Override
    public List<ScanTarget> targets() {
        List<String> projects = config.accounts();
        if (projects.isEmpty() && settings.organization().isPresent()) {
            List<String> found = new ArrayList<>();
            Cai.listUnder(this, "organizations/" + settings.organization().get(), GcpIds.PROJECT_TYPE,
                    com.google.cloud.asset.v1.ContentType.RESOURCE, a -> {
                        var data = AssetJson.data(a);
                        String state = data.path("lifecycleState").asText("ACTIVE");
                        if ("ACTIVE".equals(state) && !data.path("projectId").asText("").isEmpty()) {
                            found.add(data.path("projectId").asText());
                        }
                    });
            projects = found.stream().sorted().toList();
        } else if (projects.isEmpty()) {
            throw new ProviderException(Cloud.GCP, "targets", "NoProjects", false,
                    "accounts: list the GCP project ids to scan, or set settings.organization to scan every active "
                            + "project of an organization");
        }
        return projects.stream().map(p -> new ScanTarget(p, List.of(GcpIds.GLOBAL))).toList();
    }

    public AssetServiceClient asset() { return asset.get(); }
    public Storage storage() { return storage.get(); }
    public FirewallsClient firewalls() { return firewalls.get(); }
    public InstancesClient instances() { return instances.get(); }
    public GlobalOperationsClient globalOperations() { return globalOperations.get(); }
    public InstanceGroupManagersClient groupManagers() { return groupManagers.get(); }
    public RegionInstanceGroupManagersClient regionGroupManagers() { return regionGroupManagers.get(); }
    public AutoscalersClient autoscalers() { return autoscalers.get(); }
    public KeyManagementServiceClient kms() { return kms.get(); }
    public HttpRequestFactory iamHttp() { return iamHttp.get(); }

    /**
     * Executes one request of {@link #iamHttp()} (the REST APIs without a gax client here: IAM, OS Config, Cloud
     * Monitoring) and counts it into the session's statistics as {@link GcpCallCounting} counts the gax clients' calls:
     * once, when it ends (answered or failed), under {@code service}, with its retries (attempts after the first: the
     * request's interceptor runs before each) and throttles (attempts answered HTTP 429: its unsuccessful-response
     * handler sees each).
     */
    public HttpResponse execute(HttpRequest request, String service) throws IOException {
        int[] attempts = {0};
        int[] throttles = {0};
        HttpExecuteInterceptor credentials = request.getInterceptor();
        request.setInterceptor(r -> {
            attempts[0]++;
            if (credentials != null) {
                credentials.intercept(r);
            }
        });
        HttpUnsuccessfulResponseHandler retry = request.getUnsuccessfulResponseHandler();
        request.setUnsuccessfulResponseHandler((r, response, supportsRetry) -> {
            if (response.getStatusCode() == 429) {
                throttles[0]++;
            }
            return retry != null && retry.handleResponse(r, response, supportsRetry);
        });
        try {
            return request.execute();
        } finally {
            statistics.record(service, Math.max(0, attempts[0] - 1), throttles[0]);
        }
    }

    /** Root of the IAM REST API: the override, else {@code https://iam.googleapis.com}. */
    public String iamRoot() {
        return config.endpoint().map(GcpSession::root).orElse("https://iam.googleapis.com");
    }

    /** Root of the Cloud Monitoring REST API: the override, else {@code https://monitoring.googleapis.com}. */
    public String monitoringRoot() {
        return config.endpoint().map(GcpSession::root).orElse("https://monitoring.googleapis.com");
    }

    /** Root of the OS Config (VM Manager) REST API: the override, else {@code https://osconfig.googleapis.com}. */
    public String osConfigRoot() {
        return config.endpoint().map(GcpSession::root).orElse("https://osconfig.googleapis.com");
    }

    static String root(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private CredentialsProvider credentialsProvider() {
        return credentials instanceof NoCredentials ? NoCredentialsProvider.create()
                : FixedCredentialsProvider.create(credentials);
    }

    RetrySettings retrySettings() {
        return RetrySettings.newBuilder()
                .setInitialRetryDelayDuration(settings.initialRetryDelay())
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(settings.initialRetryDelay().multipliedBy(8))
                .setMaxAttempts(settings.maxAttempts())
                .setInitialRpcTimeoutDuration(settings.requestTimeout())
                .setRpcTimeoutMultiplier(1.0)
                .setMaxRpcTimeoutDuration(settings.requestTimeout())
                .setTotalTimeoutDuration(settings.totalTimeout())
                .build();
    }

    /**
     * Codes retried on the read calls (only reads get this set; writes keep gax's default of no retry). Besides 503,
     * 429 and timeouts: a response cut off mid-way, which the HTTP/JSON transport reports as UNKNOWN (the
     * connection's I/O error, e.g. "Premature EOF") or CANCELLED ("Exception in message delivery": a truncated body
     * that does not parse). Without these a dropped connection failed the shard after one attempt.
     */
    private static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.UNKNOWN,
            StatusCode.Code.CANCELLED);

    private AssetServiceClient newAssetClient() {
        try {
            AssetServiceSettings.Builder b = AssetServiceSettings.newHttpJsonBuilder()
                    .setCredentialsProvider(credentialsProvider());
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("cloudasset", statistics));
            b.listAssetsSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            b.batchGetAssetsHistorySettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(AssetServiceClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("cloudasset", e);
        }
    }

    private FirewallsClient newFirewallsClient() {
        try {
            FirewallsSettings.Builder b = FirewallsSettings.newBuilder().setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.getSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            b.patchSettings().setRetrySettings(retrySettings());
            return track(FirewallsClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private InstancesClient newInstancesClient() {
        try {
            InstancesSettings.Builder b = InstancesSettings.newBuilder().setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.getSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(InstancesClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private InstanceGroupManagersClient newGroupManagersClient() {
        try {
            InstanceGroupManagersSettings.Builder b = InstanceGroupManagersSettings.newBuilder()
                    .setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.aggregatedListSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            b.listManagedInstancesSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            b.getSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(InstanceGroupManagersClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private RegionInstanceGroupManagersClient newRegionGroupManagersClient() {
        try {
            RegionInstanceGroupManagersSettings.Builder b = RegionInstanceGroupManagersSettings.newBuilder()
                    .setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.listManagedInstancesSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            b.getSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(RegionInstanceGroupManagersClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private AutoscalersClient newAutoscalersClient() {
        try {
            AutoscalersSettings.Builder b = AutoscalersSettings.newBuilder()
                    .setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.aggregatedListSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(AutoscalersClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private GlobalOperationsClient newGlobalOperationsClient() {
        try {
            GlobalOperationsSettings.Builder b = GlobalOperationsSettings.newBuilder()
                    .setCredentialsProvider(credentialsProvider());
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("compute", statistics));
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.waitSettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(GlobalOperationsClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("compute", e);
        }
    }

    private KeyManagementServiceClient newKmsClient() {
        try {
            KeyManagementServiceSettings.Builder b = KeyManagementServiceSettings.newHttpJsonBuilder()
                    .setCredentialsProvider(credentialsProvider());
            config.endpoint().ifPresent(e -> b.setEndpoint(root(e)));
            b.getStubSettingsBuilder().setTracerFactory(new GcpCallCounting("cloudkms", statistics));
            b.updateCryptoKeySettings().setRetrySettings(retrySettings());
            b.getCryptoKeySettings().setRetryableCodes(RETRYABLE).setRetrySettings(retrySettings());
            return track(KeyManagementServiceClient.create(b.build()));
        } catch (IOException e) {
            throw clientError("cloudkms", e);
        }
    }

    private Storage newStorage() {
        StorageOptions.Builder b = StorageOptions.http()
                .setCredentials(credentials)
                .setRetrySettings(retrySettings());
        config.endpoint().ifPresent(e -> b.setHost(root(e)));
        // A project id avoids ServiceOptions' default-project discovery (which may probe the metadata server).
        settings.project().or(() -> config.accounts().stream().findFirst()).ifPresent(b::setProjectId);
        Storage s = b.build().getService();
        return track(s);
    }

    /**
     * IAM has no REST-capable Java client here ({@code google-cloud-iam-admin} is not served), so IAM calls go
     * through the Google HTTP client with the session credentials, retrying 429 and 5xx with exponential back-off.
     */
    private HttpRequestFactory newIamRequestFactory() {
        NetHttpTransport transport = new NetHttpTransport();
        HttpCredentialsAdapter adapter = credentials instanceof NoCredentials ? null
                : new HttpCredentialsAdapter(credentials);
        return transport.createRequestFactory(request -> {
            if (adapter != null) {
                adapter.initialize(request);
            }
            request.setConnectTimeout((int) settings.requestTimeout().toMillis());
            request.setReadTimeout((int) settings.requestTimeout().toMillis());
            request.setNumberOfRetries(settings.maxAttempts() - 1);
            HttpBackOffUnsuccessfulResponseHandler backoff = new HttpBackOffUnsuccessfulResponseHandler(
                    new ExponentialBackOff.Builder()
                            .setInitialIntervalMillis((int) settings.initialRetryDelay().toMillis())
                            .setMaxElapsedTimeMillis((int) settings.totalTimeout().toMillis())
                            .build())
                    .setBackOffRequired(r -> r.getStatusCode() == 429 || r.getStatusCode() / 100 == 5);
            HttpUnsuccessfulResponseHandler combined = (req, resp, supportsRetry) ->
                    (adapter != null && adapter.handleResponse(req, resp, supportsRetry))
                            || backoff.handleResponse(req, resp, supportsRetry);
            request.setUnsuccessfulResponseHandler(combined);
        });
    }

    private ProviderException clientError(String service, IOException e) {
        return new ProviderException(Cloud.GCP, service + ":createClient", "", false,
                "cannot create the " + service + " client: " + e.getMessage(), e);
    }

    private synchronized <T> T track(T client) {
        if (client instanceof AutoCloseable c) {
            opened.add(c);
        }
        return client;
    }

    private static <T> Supplier<T> memo(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort: a client that fails to close holds no state we need
            }
        }
        opened.clear();
    }
}
