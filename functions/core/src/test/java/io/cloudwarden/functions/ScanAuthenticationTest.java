package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.functions.http.HttpGateway;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.testkit.Resources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /scan} and {@code /events/*} run only under an authentication scheme; bodies are validated field by field;
 * responses name no Java classes; health says up or down only.
 */
class ScanAuthenticationTest {
    private final CoreFixture fx = new CoreFixture();

    private static HttpResponse post(HttpGateway gw, String path, Map<String, String> headers, String body) {
        return gw.handle(HttpRequest.of("POST", path, headers, body == null ? null
                : body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void withNoSchemeConfiguredScanAndEventsAreRefusedAndNothingRuns() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            HttpGateway gw = Functions.inProcess(cw).gateway();
            List<String> before = fx.store.list("");

            HttpResponse scan = post(gw, "/scan", Map.of(), null);
            assertThat(scan.status()).isEqualTo(403);
            assertThat(text(scan)).contains("cloudwarden.http.token").contains("cloudwarden.http.auth=platform");
            assertThat(post(gw, "/events/aws", Map.of(), "{}").status()).isEqualTo(403);
            assertThat(fx.store.list("")).isEqualTo(before);
            assertThat(gw.auth()).isEqualTo(HttpGateway.Auth.NONE);
        }
    }

    @Test
    void onALoopbackOnlyServerNoSchemeIsNeeded() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            HttpGateway gw = Functions.inProcess(cw).gateway().loopbackOnly(true);
            assertThat(post(gw, "/scan", Map.of(), null).status()).isEqualTo(200);
        }
    }

    @Test
    void platformAuthenticationAdmitsWhatThePlatformLetThrough() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "platform"))) {
            HttpGateway gw = Functions.inProcess(cw).gateway();
            assertThat(gw.auth()).isEqualTo(HttpGateway.Auth.PLATFORM);
            assertThat(post(gw, "/scan", Map.of(), "{\"clouds\":[\"aws\"]}").status()).isEqualTo(200);
        }
    }

    @Test
    void aTokenIsCheckedEvenBehindThePlatform() {
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "platform", "cloudwarden.http.token",
                "t0k"))) {
            HttpGateway gw = Functions.inProcess(cw).gateway();
            assertThat(gw.auth()).isEqualTo(HttpGateway.Auth.TOKEN);
            assertThat(post(gw, "/scan", Map.of(), null).status()).isEqualTo(401);
            assertThat(post(gw, "/scan", Map.of("Authorization", "Bearer t0k"), null).status()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownSchemeIsAConfigurationErrorNamingTheKey() {
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "open"))) {
            assertThatThrownBy(() -> Functions.inProcess(cw)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cloudwarden.http.auth").hasMessageContaining("'open'");
        }
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "token"))) {
            assertThatThrownBy(() -> Functions.inProcess(cw)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cloudwarden.http.token");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"scan\"", "42", "{\"clouds\":\"aws\"}", "{\"clouds\":[1]}",
            "{\"clouds\":[]}", "{\"clouds\":[\"oracle\"]}", "{\"clouds\":[\"azure\"]}", "{\"types\":[\"vm\"]}",
            "{\"types\":{}}", "{\"cloud\":[\"aws\"]}", "{oops"})
    void junkBodiesAreA400NamingTheFieldAndStartNoScan(String body) throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "platform"))) {
            HttpGateway gw = Functions.inProcess(cw).gateway();
            List<String> before = fx.store.list("");
            HttpResponse r = post(gw, "/scan", Map.of(), body);
            assertThat(r.status()).isEqualTo(400);
            assertThat(ModelJson.mapper().readTree(r.body()).path("error").asText())
                    .matches("^(body|clouds|types|cloud): .*");
            assertThat(fx.store.list("")).isEqualTo(before);
        }
    }

    @Test
    void aPartialScanNamesTheUnreadScopesButNoJavaClasses() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        fx.provider.failShard("111122223333", "us-east-1", ResourceTypes.STORAGE_BUCKET,
                new ProviderException(Cloud.AWS, "s3:ListAllMyBuckets", "ResponseCutOff", true,
                        "s3:ListAllMyBuckets failed: ResponseCutOff (SdkClientException: Unable to execute HTTP "
                                + "request)"));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "platform"))) {
            HttpResponse r = post(Functions.inProcess(cw).gateway(), "/scan", Map.of(), null);
            assertThat(r.status()).isEqualTo(207);
            var errors = ModelJson.mapper().readTree(r.body()).path("errors");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).path("code").asText()).isEqualTo("ResponseCutOff");
            assertThat(errors.get(0).path("type").asText()).isEqualTo(ResourceTypes.STORAGE_BUCKET);
            assertThat(text(r)).doesNotContain("Exception");
        }
    }

    @Test
    void anInternalErrorNamesNoJavaClass() {
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.auth", "platform"))) {
            HttpGateway gw = Functions.inProcess(cw).gateway().route("/boom", req -> {
                throw new IllegalStateException("kaput");
            });
            HttpResponse r = post(gw, "/boom", Map.of(), null);
            assertThat(r.status()).isEqualTo(500);
            assertThat(text(r)).doesNotContain("IllegalStateException").doesNotContain("kaput");
        }
    }

    @Test
    void healthSaysUpAndNothingAboutTheStore() {
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            HttpResponse r = Functions.inProcess(cw).gateway().handle(HttpRequest.of("GET", "/q/health", Map.of(),
                    null));
            assertThat(r.status()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("{\"status\":\"UP\"}");
        }
    }
}
