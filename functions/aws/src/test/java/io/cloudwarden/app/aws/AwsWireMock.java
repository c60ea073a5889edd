package io.cloudwarden.app.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A WireMock server standing in for every AWS API (the provider's endpoint override), started before Quarkus and
 * wired in through {@code cloudwarden.aws.*}: test credentials, one account and region (so a scan plans its shards
 * without STS or DescribeRegions calls), two attempts without backoff.
 */
public class AwsWireMock implements QuarkusTestResourceLifecycleManager {
    public static final String ACCOUNT = "111122223333";
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = io.cloudwarden.testkit.recorded.RecordedApiServer.http(new SqsSendMessage()).wireMock();
        return Map.of(
                "cloudwarden.aws.endpoint", "http://127.0.0.1:" + server.port(),
                "cloudwarden.aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "cloudwarden.aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "cloudwarden.aws.region", "us-east-1",
                "cloudwarden.aws.regions", "us-east-1",
                "cloudwarden.aws.accounts", ACCOUNT,
                "cloudwarden.aws.maxAttempts", "2",
                "cloudwarden.aws.retryBaseDelayMs", "0");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class,
                WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
