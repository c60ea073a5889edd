package io.cloudwarden.app.gcp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@code POST /chatops/slack} on Cloud Run reaches the core's signed Slack route with the raw body intact. */
@QuarkusTest
@WithTestResource(GoogleApis.class)
class ChatOpsRouteTest {
    static String slashCommand(String text) {
        return Fixtures.envelope("slack-slash-command.form").trim()
                .replace("${user_id}", "U2147483697").replace("${user_name}", "alice")
                .replace("${text}", text)
                .replace("${response_url}", "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1234%2Fabcd");
    }

    static String sign(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(GoogleApis.SLACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedSlashCommandIsAnsweredByTheCore() throws Exception {
        String body = slashCommand("help");
        String ts = Long.toString(Instant.now().getEpochSecond());
        given().contentType("application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", sign(ts, body))
                .body(body)
                .post("/chatops/slack")
                .then().statusCode(200).body(containsString("findings"));
    }

    @Test
    void anUnsignedSlashCommandIsRefused() {
        given().contentType("application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Slack-Request-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                .header("X-Slack-Signature", "v0=" + "0".repeat(64))
                .body(slashCommand("help"))
                .post("/chatops/slack")
                .then().statusCode(401);
    }
}
