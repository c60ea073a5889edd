package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.functions.queue.WorkItem;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.Resources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The core's wire surfaces: CloudEvents between functions, the HTTP gateway, the batch runner, configuration. */
class WireTest {
    private final CoreFixture fx = new CoreFixture();

    private RemediationRequest someRequest(Cloudwarden cw) {
        List<RemediationRequest> sent = new ArrayList<>();
        new Detector(cw, sent::add).scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
        return sent.get(0);
    }

    @Test
    void remediationRequestsRoundTripAsStructuredCloudEvents() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            RemediationRequest request = someRequest(cw);
            byte[] wire = CloudEventCodec.encode(request);
            var json = ModelJson.mapper().readTree(wire);
            assertThat(json.get("specversion").asText()).isEqualTo("1.0");
            assertThat(json.get("type").asText()).isEqualTo("io.cloudwarden.remediation.requested.v1");
            assertThat(json.get("id").asText()).isEqualTo(request.plan().key());
            assertThat(json.get("subject").asText()).isEqualTo("arn:aws:s3:::site");
            assertThat(CloudEventCodec.decodeRemediation(wire)).isEqualTo(request);
        }
    }

    @Test
    void aCloudEventOfAnotherTypeIsRejectedNamingTheField() {
        byte[] other = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"com.example.other\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CloudEventCodec.decodeRemediation(other)).isInstanceOf(EventParseException.class)
                .hasMessageStartingWith("type:");
    }

    @Test
    void theBatchRunnerReportsExactlyTheFailedItems() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.apply", "true"))) {
            RemediationRequest request = someRequest(cw);
            byte[] good = CloudEventCodec.encode(request);
            Functions f = Functions.inProcess(cw);
            BatchResult result = f.batch().run(List.of(new WorkItem("m-1", good, 1),
                    new WorkItem("m-2", "not json".getBytes(StandardCharsets.UTF_8), 1),
                    new WorkItem("m-3", "{\"type\":\"com.example.other\"}".getBytes(StandardCharsets.UTF_8), 1)));
            assertThat(result.failedIds()).containsExactly("m-2", "m-3");
            assertThat(result.succeeded()).isEqualTo(1);
            // The built-in rule asks for approval: the consumed request becomes a plan awaiting an approver.
            assertThat(cw.executor().plans().find(request.plan().id()).orElseThrow().status())
                    .isEqualTo("awaiting-approval");
            assertThat(fx.provider.applyCount()).isZero();
        }
    }

    @Test
    void theGatewayServesHealthEventsScanAndRefusesWhatItShould() {
        fx.provider.put(Resources.awsBucket("site", true));
        try (Cloudwarden cw = fx.runtime(Map.of("cloudwarden.http.token", "s3cret"))) {
            var gw = Functions.inProcess(cw).gateway();
            assertThat(gw.handle(HttpRequest.of("GET", "/q/health", Map.of(), null)).status()).isEqualTo(200);
            assertThat(gw.handle(HttpRequest.of("POST", "/scan", Map.of(), null)).status()).isEqualTo(401);
            Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
            HttpResponse scan = gw.handle(HttpRequest.of("POST", "/scan", auth,
                    "{\"clouds\":[\"aws\"]}".getBytes(StandardCharsets.UTF_8)));
            assertThat(scan.status()).isEqualTo(200);
            assertThat(scan.bodyText()).contains("\"resources\":1");
            assertThat(gw.handle(HttpRequest.of("POST", "/scan", auth,
                    "{\"types\":[\"storage.bukket\"]}".getBytes(StandardCharsets.UTF_8))).bodyText())
                    .contains("storage.bukket");
            assertThat(gw.handle(HttpRequest.of("POST", "/events/aws", auth,
                    "{oops".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(400);
            assertThat(gw.handle(HttpRequest.of("POST", "/events/aws", auth,
                    "{\"kind\":\"change\"}".getBytes(StandardCharsets.UTF_8))).bodyText()).contains("bucket");
            assertThat(gw.handle(HttpRequest.of("POST", "/events/oracle", auth, null)).status()).isEqualTo(404);
            assertThat(gw.handle(HttpRequest.of("POST", "/nope", auth, null)).status()).isEqualTo(404);
            assertThat(gw.handle(HttpRequest.of("POST", "/events/aws", auth, new byte[2 * 1024 * 1024])).status())
                    .isEqualTo(413);
        }
    }

    @Test
    void configurationComesFromPropertiesAndEnvironmentAndMasksSecrets() {
        CoreConfig cfg = CoreConfig.fromEnvironment(Map.of("cloudwarden.aws.regions", "us-east-1, eu-west-1"),
                Map.of("CLOUDWARDEN_STATE_DIR", "/tmp/x", "CLOUDWARDEN_AWS_ENDPOINT", "http://127.0.0.1:4566",
                        "CLOUDWARDEN_SLACK_SIGNING_SECRET", "topsecret", "HOME", "/root"));
        assertThat(cfg.stateLocation()).isEqualTo("/tmp/x");
        assertThat(cfg.provider(Cloud.AWS).regions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(cfg.provider(Cloud.AWS).endpoint()).hasValueSatisfying(
                u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:4566"));
        assertThat(cfg.get("cloudwarden.slack.signing.secret")).hasValue("topsecret");
        assertThat(cfg.toString()).doesNotContain("topsecret");
        assertThat(cfg.guardrails().dryRun()).isTrue();
        assertThatThrownBy(() -> CoreConfig.of(Map.of("cloudwarden.guardrails.max-changes", "ten")).guardrails())
                .isInstanceOf(ConfigException.class).hasMessageContaining("cloudwarden.guardrails.max-changes");
    }
}
