package io.cloudwarden.app.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Azure the function app talks to in tests, over the real SDK clients:
 * <ul>
 * <li>Resource Manager and Resource Graph: WireMock over HTTPS (the SDK sends bearer tokens over HTTPS only; the JVM
 * trust store is pointed at {@code tls/test-truststore.p12} by surefire) serving recorded ARM JSON for subscription
 * {@link #SUB}: two storage accounts ({@code cwlogsprod} public, TLS 1.0; {@code cwdataprod} private), an NSG, a VM
 * and a vault;</li>
 * <li>the Storage Queue service: WireMock over HTTP answering Put Message as the queue service does, so the
 * remediation requests the app sends can be read back ({@link #queueMessages}).</li>
 * </ul>
 * State goes to a fresh directory per test run.
 */
public class RecordedAzure implements QuarkusTestResourceLifecycleManager {
    public static final String SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    public static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg-prod";
    public static final String ACCOUNT_LOGS = RG + "/providers/Microsoft.Storage/storageAccounts/cwlogsprod";
    public static final String ACCOUNT_DATA = RG + "/providers/Microsoft.Storage/storageAccounts/cwdataprod";
    /** An account the reader identity may not read (ARM answers 403 AuthorizationFailed). */
    public static final String ACCOUNT_DENIED = "/subscriptions/" + SUB
            + "/resourceGroups/rg-finance/providers/Microsoft.Storage/storageAccounts/cwfinance";
    public static final String VAULT = RG + "/providers/Microsoft.KeyVault/vaults/kv-cw-prod";
    public static final String QUEUE = "cloudwarden-work";
    public static final String QUEUE_MESSAGES_PATH = "/devstoreaccount1/" + QUEUE + "/messages";
    /** Azurite's documented development account key (public, not a secret). */
    public static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** The Slack signing secret of the tests (not a real one). */
    public static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String GRAPH = "/providers/Microsoft.ResourceGraph/resources";

    /** Marks a test field that receives the ARM ({@code "arm"}) or queue ({@code "queue"}) server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Server {
        String value();
    }

    private WireMockServer arm;
    private WireMockServer queue;
    private Path stateDir;

    @Override
    public Map<String, String> start() {
        arm = RecordedApiServer.https(Path.of("src/test/resources/tls/test-server.p12"), "changeit").wireMock();
        estate(arm);
        queue = RecordedApiServer.http().wireMock();
        queueService(queue);
        try {
            stateDir = Files.createTempDirectory("cw-azure-fn-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "cloudwarden.state", stateDir.toString(),
                "cloudwarden.azure.endpoint", "https://localhost:" + arm.httpsPort(),
                "cloudwarden.azure.accounts", SUB,
                "cloudwarden.azure.maxRetries", "1",
                "cloudwarden.azure.retryBaseDelayMillis", "10",
                "cloudwarden.azure.retryMaxDelayMillis", "50",
                "cloudwarden.azure.queue", QUEUE,
                "cloudwarden.slack.signing.secret", SLACK_SECRET,
                // as infra/azure deploys it: the httpTrigger's authLevel "function" authenticates callers
                "cloudwarden.http.auth", "platform",
                "AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                        + DEV_KEY + ";QueueEndpoint=http://127.0.0.1:" + queue.port() + "/devstoreaccount1;");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(arm, new TestInjector.AnnotatedAndMatchesType(Server.class, WireMockServer.class) {
            @Override
            public boolean test(java.lang.reflect.Field field) {
                return super.test(field) && field.getAnnotation(Server.class).value().equals("arm");
            }
        });
        injector.injectIntoFields(queue, new TestInjector.AnnotatedAndMatchesType(Server.class,
                WireMockServer.class) {
            @Override
            public boolean test(java.lang.reflect.Field field) {
                return super.test(field) && field.getAnnotation(Server.class).value().equals("queue");
            }
        });
    }

    @Override
    public void stop() {
        if (arm != null) {
            arm.stop();
        }
        if (queue != null) {
            queue.stop();
        }
    }

    public static String fixture(String path) {
        return new String(io.cloudwarden.testkit.recorded.RecordedApiServer.resourceBytes(path), StandardCharsets.UTF_8);
    }

    private static void json(WireMockServer server, MappingBuilder mapping, String recorded) {
        server.stubFor(mapping.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-request-id", "6f0c2b1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e")
                .withBody(fixture("recorded/" + recorded))));
    }

    private static MappingBuilder graph(String armType) {
        return post(urlPathEqualTo(GRAPH)).withQueryParam("api-version", equalTo("2021-03-01"))
                .withRequestBody(matchingJsonPath("$.subscriptions[0]", equalTo(SUB)))
                .withRequestBody(matchingJsonPath("$.query", containing("'" + armType + "'")));
    }

    /** The recorded estate: Resource Graph pages, the per-resource ARM reads, and single-resource GETs. */
    static void estate(WireMockServer s) {
        // Microsoft Graph (identity.user, identity.key) under <endpoint>/graph: a tenant with no users, service
        // principals or application credentials, so these tests see only the ARM estate.
        s.stubFor(get(urlPathEqualTo("/graph/v1.0/organization")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"value\":[{\"id\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\"}]}")));
        s.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/graph/v1\\.0/(users|"
                + "servicePrincipals|applications|directoryRoles|reports/.*)")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":[]}")));
        json(s, graph("Microsoft.Storage/storageAccounts").withRequestBody(notContaining("$skipToken")),
                "rg-storage-page1.json");
        json(s, graph("Microsoft.Storage/storageAccounts").withRequestBody(
                matchingJsonPath("$.options['$skipToken']", containing("ew0KICAiJGlkIjogIjEiLA0K"))),
                "rg-storage-page2.json");
        json(s, get(urlPathEqualTo(ACCOUNT_LOGS)), "storage-cwlogsprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_DATA)), "storage-cwdataprod.json");
        s.stubFor(get(urlPathEqualTo(ACCOUNT_DENIED)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-failure-cause", "gateway")
                .withBody(fixture("recorded/error-authorization-failed-storage-read.json"))));
        json(s, get(urlPathEqualTo(ACCOUNT_LOGS + "/blobServices/default")), "blobservice-cwlogsprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_DATA + "/blobServices/default")), "blobservice-cwdataprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_LOGS + "/blobServices/default/containers"))
                .withQueryParam("$skipToken", equalTo("/cwlogsprod/public-assets")), "containers-cwlogsprod-page2.json");
        json(s, get(urlPathEqualTo(ACCOUNT_LOGS + "/blobServices/default/containers")).atPriority(10),
                "containers-cwlogsprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_DATA + "/blobServices/default/containers")), "containers-cwdataprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_LOGS
                + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings")), "diagnostics-cwlogsprod.json");
        json(s, get(urlPathEqualTo(ACCOUNT_DATA
                + "/blobServices/default/providers/Microsoft.Insights/diagnosticSettings")), "diagnostics-empty.json");
        json(s, graph("Microsoft.Network/networkSecurityGroups"), "rg-nsg.json");
        json(s, graph("Microsoft.Compute/virtualMachines"), "rg-vm.json");
        json(s, get(urlPathEqualTo(RG + "/providers/Microsoft.Network/networkInterfaces/web-01-nic")), "nic-web-01.json");
        json(s, get(urlPathEqualTo(RG + "/providers/Microsoft.Network/publicIPAddresses/web-01-pip")), "pip-web-01.json");
        // no VM scale sets in this subscription (compute.group is read, and empty, not unread)
        s.stubFor(graph("Microsoft.Compute/virtualMachineScaleSets").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"totalRecords\":0,\"count\":0,\"data\":[],\"facets\":[],\"resultTruncated\":\"false\"}")));
        json(s, graph("Microsoft.KeyVault/vaults"), "rg-vaults.json");
        json(s, get(urlPathEqualTo(VAULT + "/keys")), "keys-kv-cw-prod.json");
        json(s, get(urlPathEqualTo(VAULT + "/keys/cmk-storage")), "key-cmk-storage.json");
        json(s, get(urlPathEqualTo(VAULT + "/keys/legacy-signing")), "key-legacy-signing.json");
    }

    /** Put Message answered as the queue service does (201, QueueMessagesList XML). */
    static void queueService(WireMockServer s) {
        s.stubFor(post(urlPathEqualTo(QUEUE_MESSAGES_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/xml")
                .withHeader("x-ms-request-id", "1b2c3d4e-0003-0042-1f5c-7a8b9c000000")
                .withHeader("x-ms-version", "2025-11-05")
                .withHeader("Date", "Mon, 23 Nov 2026 10:05:14 GMT")
                .withBody(fixture("recorded/queue-put-message.xml"))));
    }
}
