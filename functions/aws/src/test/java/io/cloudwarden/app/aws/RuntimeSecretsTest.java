package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.model.Cloud;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chatops secrets and the /scan token are read at run time from Secrets Manager (JSON 1.1 wire format, served by
 * WireMock): the environment carries only ARNs, each read once and cached, and failures name the ARN, never a value.
 */
class RuntimeSecretsTest {
    static final String SLACK_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:cloudwarden/slack-signing-AbCdEf";
    static final String TEAMS_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:cloudwarden/teams-QrStUv";
    private WireMockServer wm;

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private CoreConfig config(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("CLOUDWARDEN_AWS_ENDPOINT", wm.baseUrl());
        Map<String, String> base = Map.of("cloudwarden.aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "cloudwarden.aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        return CoreConfig.fromEnvironment(base, e);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder getSecretValue(String arn) {
        return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(equalToJson("{\"SecretId\":\"" + arn + "\"}"));
    }

    @Test
    void aSecretGivenByArnIsReadAtRunTimeOnceAndCached() {
        wm.stubFor(getSecretValue(SLACK_ARN).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(Recorded.fixture("recorded/secretsmanager/get-secret-value-slack.json"))));
        CoreConfig core = config(Map.of("CLOUDWARDEN_SLACK_SIGNING_SECRET_ARN", SLACK_ARN));
        assertThat(core.get("cloudwarden.slack.signing.secret")).isEmpty();

        try (RuntimeSecrets secrets = new RuntimeSecrets(core.provider(Cloud.AWS))) {
            CoreConfig resolved = secrets.resolve(core);
            assertThat(resolved.get("cloudwarden.slack.signing.secret")).contains("8f742231b10e8888abcd99yyyzzz85a5");
            assertThat(resolved.toString()).doesNotContain("8f742231b10e8888abcd99yyyzzz85a5");
            secrets.resolve(core);
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withHeader("Content-Type", matching("application/x-amz-json-1\\.1.*"))
                .withHeader("Authorization", matching(".*/eu-west-1/secretsmanager/aws4_request.*")));
    }

    @Test
    void aValueGivenDirectlyIsUsedWithoutAnyCall() {
        CoreConfig core = config(Map.of("CLOUDWARDEN_SLACK_SIGNING_SECRET_ARN", SLACK_ARN,
                "CLOUDWARDEN_SLACK_SIGNING_SECRET", "local-test-secret"));
        try (RuntimeSecrets secrets = new RuntimeSecrets(core.provider(Cloud.AWS))) {
            assertThat(secrets.resolve(core).get("cloudwarden.slack.signing.secret")).contains("local-test-secret");
        }
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aSecretTheRoleMayNotReadIsAConfigurationErrorNamingTheArn() {
        wm.stubFor(getSecretValue(TEAMS_ARN).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(Recorded.fixture("recorded/secretsmanager/access-denied.json"))));
        CoreConfig core = config(Map.of("CLOUDWARDEN_TEAMS_SECRET_ARN", TEAMS_ARN));
        try (RuntimeSecrets secrets = new RuntimeSecrets(core.provider(Cloud.AWS))) {
            assertThatThrownBy(() -> secrets.resolve(core)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cloudwarden.teams.secret.arn").hasMessageContaining(TEAMS_ARN)
                    .hasMessageContaining("AccessDeniedException");
        }
    }

    @Test
    void somethingThatIsNotASecretArnIsRejectedBeforeAnyCall() {
        CoreConfig core = config(Map.of("CLOUDWARDEN_HTTP_TOKEN_ARN", "cloudwarden/http-token"));
        try (RuntimeSecrets secrets = new RuntimeSecrets(core.provider(Cloud.AWS))) {
            assertThatThrownBy(() -> secrets.resolve(core)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cloudwarden.http.token.arn");
        }
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
