package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code settings.httpClient} picks the sync HTTP client under every AWS client (providers/aws/README.md, "HTTP
 * client"): each supported one reads the recorded S3 estate to the same resources, maps an S3 error the same way and
 * retries a dropped connection (it sits behind the same {@code CompleteBodyHttpClient}); an unknown name is refused
 * when the session opens.
 */
class HttpClientSelectionTest extends RecordedApi {

    private List<Resource> scanBucketsWith(String httpClient) {
        session.close();
        session = new AwsSession(config(Map.of("httpClient", httpClient)));
        return scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"url-connection", "apache", "apache5"})
    void eachSupportedClientReadsTheSameBuckets(String httpClient) {
        stubS3Estate();

        List<Resource> buckets = scanBucketsWith(httpClient);

        assertThat(buckets).extracting(Resource::id).containsExactly("arn:aws:s3:::cw-public-assets",
                "arn:aws:s3:::cw-secure-logs", "arn:aws:s3:::cw-legacy-acl");
        assertThat(buckets).extracting(Resource::region).containsExactly("us-east-1", "eu-west-1", "us-east-1");
        assertThat(buckets.get(1).attributes().toString()).isEqualTo("{\"publicAccess\":false,"
                + "\"encryption\":{\"enabled\":true,\"keyType\":\"customer-managed\"},\"versioning\":true,"
                + "\"minTlsVersion\":\"1.2\",\"logging\":true}");
        // the call statistics (the SDK's metrics) count every request the server saw, whichever client sent it
        assertThat(session.callStatistics().stream().mapToLong(ApiCalls::calls).sum())
                .isEqualTo(wm.getAllServeEvents().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"url-connection", "apache", "apache5"})
    void eachSupportedClientMapsAnS3ErrorToAProviderException(String httpClient) {
        stubS3Estate();
        wm.stubFor(s3Get("cw-public-assets", "policyStatus").atPriority(1)
                .willReturn(s3Error(403, "cw-public-assets-access-denied.xml")));

        assertThatThrownBy(() -> scanBucketsWith(httpClient))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("s3:GetBucketPolicyStatus");
                    assertThat(e.nativeCode()).isEqualTo("AccessDenied");
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"url-connection", "apache", "apache5"})
    void eachSupportedClientRetriesADroppedConnection(String httpClient) {
        stubS3Estate();
        wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()).atPriority(1)
                .inScenario("drop").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));

        assertThat(scanBucketsWith(httpClient)).hasSize(3);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/")).withQueryParam("continuation-token", absent()));
    }

    @Test
    void anUnknownClientIsAClearErrorNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> new AwsSession(config(Map.of("httpClient", "netty"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.httpClient: expected one of [url-connection, apache, apache5] but was "
                        + "'netty'");
    }
}
