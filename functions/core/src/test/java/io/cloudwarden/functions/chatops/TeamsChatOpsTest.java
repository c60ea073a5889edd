package io.cloudwarden.functions.chatops;

import static io.cloudwarden.functions.chatops.ChatOpsHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamsChatOpsTest {
    private final ChatOpsHarness h = new ChatOpsHarness().scanned();

    @Test
    void signedMentionGetsFindingsAsAnAdaptiveCard() {
        HttpResponse r = h.teams(TEAMS_VIEWER, "Megan Bowen", "findings");

        assertThat(r.status()).isEqualTo(200);
        JsonNode msg = json(r);
        assertThat(msg.path("type").asText()).isEqualTo("message");
        JsonNode card = msg.path("attachments").get(0);
        assertThat(card.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(card.path("content").path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("content").path("body").toString()).contains(h.publicAccessFinding())
                .contains("HIGH (");
        assertThat(h.audit("chatops.findings")).singleElement().satisfies(a -> {
            assertThat(a.actor().id()).isEqualTo(TEAMS_VIEWER);
            assertThat(a.actor().name()).isEqualTo("Megan Bowen");
            assertThat(a.actor().via()).isEqualTo("teams:" + TENANT);
        });
    }

    @Test
    void oneLineAnswersArePlainTextMessages() {
        ChatOpsHarness fresh = new ChatOpsHarness();
        JsonNode msg = json(fresh.teams(TEAMS_VIEWER, "Megan Bowen", "findings"));
        assertThat(msg.path("text").asText()).contains("No scan has run yet");
        assertThat(msg.has("attachments")).isFalse();
    }

    @Test
    void hmacIsComputedWithTheBase64DecodedTokenOverTheRawBody() throws Exception {
        byte[] body = teamsBody(TEAMS_VIEWER, "Megan Bowen", "status");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(TEAMS_SECRET), "HmacSHA256"));
        String header = "HMAC " + Base64.getEncoder().encodeToString(mac.doFinal(body));

        assertThat(h.send(teamsRequest(body, Map.of("Authorization", header))).status()).isEqualTo(200);
    }

    @Test
    void unsignedOrTamperedRequestsAreRefusedWithoutTouchingState() {
        Map<String, String> before = h.stateFingerprint();
        byte[] body = teamsBody(TEAMS_VIEWER, "Megan Bowen", "findings");
        String auth = new TeamsSignature(TEAMS_SECRET).sign(body);
        byte[] tampered = teamsBody(TEAMS_APPROVER, "Megan Bowen", "findings");

        assertThat(h.send(teamsRequest(body, Map.of())).status()).isEqualTo(401);
        assertThat(h.send(teamsRequest(tampered, Map.of("Authorization", auth))).status()).isEqualTo(401);
        assertThat(h.send(teamsRequest(body, Map.of("Authorization", auth.replace("HMAC", "Bearer"))))
                .status()).isEqualTo(401);
        assertThat(h.stateFingerprint()).isEqualTo(before);
    }

    @Test
    void replayedRequestIsRefused() {
        var req = signedTeams(teamsBody(TEAMS_VIEWER, "Megan Bowen", "status"));
        assertThat(h.send(req).status()).isEqualTo(200);
        assertThat(h.send(req).status()).isEqualTo(401);
    }

    @Test
    void routeWithoutSecretOrWithANonBase64SecretAnswers503() {
        ChatOpsHarness none = new ChatOpsHarness(Map.of("cloudwarden.teams.secret", ""));
        assertThat(none.send(signedTeams(teamsBody(TEAMS_VIEWER, "x", "help"))).status()).isEqualTo(503);

        ChatOpsHarness broken = new ChatOpsHarness(Map.of("cloudwarden.teams.secret", "not base64 at all!"));
        HttpResponse r = broken.send(signedTeams(teamsBody(TEAMS_VIEWER, "x", "help")));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).doesNotContain("not base64 at all!");
    }

    @Test
    void malformedActivityIs400NamingTheField() {
        HttpResponse notJson = h.send(signedTeams("{\"type\":".getBytes(StandardCharsets.UTF_8)));
        assertThat(notJson.status()).isEqualTo(400);

        String noAad = new String(teamsBody(TEAMS_VIEWER, "x", "help"), StandardCharsets.UTF_8)
                .replace("\"aadObjectId\": \"" + TEAMS_VIEWER + "\"", "\"aadObjectId\": null");
        HttpResponse r = h.send(signedTeams(noAad.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("from.aadObjectId: missing");
    }

    @Test
    void remediateAndApproveByTwoTeamsUsersApplyTheFix() {
        JsonNode plan = json(h.teams(TEAMS_OPERATOR, "Alex Wilber", "remediate " + h.publicAccessFinding()));
        String body = plan.toString();
        assertThat(body).contains("awaits approval").contains("`publicAccess`: true → false")
                .contains("mention me with `approve p-");
        String planId = body.replaceAll("(?s).*`approve (p-[0-9a-f]{16})`.*", "$1");

        HttpResponse r = h.teams(TEAMS_APPROVER, "Isaiah Langer", "approve " + planId);

        assertThat(json(r).path("text").asText()).contains("Approved by Isaiah Langer and applied");
        assertThat(h.provider.applyCount()).isEqualTo(1);
        assertThat(h.cw.audit().verify().intact()).isTrue();
        assertThat(h.auditText()).doesNotContain(TEAMS_SECRET);
    }

    @Test
    void teamsRequesterCannotApproveTheirOwnHighRiskPlan() {
        ChatOpsHarness both = new ChatOpsHarness(Map.of("cloudwarden.chatops.roles.admin", "teams:" + TEAMS_OPERATOR))
                .scanned();
        String body = json(both.teams(TEAMS_OPERATOR, "Alex Wilber", "remediate " + both.publicAccessFinding()))
                .toString();
        String planId = body.replaceAll("(?s).*`approve (p-[0-9a-f]{16})`.*", "$1");

        JsonNode r = json(both.teams(TEAMS_OPERATOR, "Alex Wilber", "approve " + planId));

        assertThat(r.path("text").asText()).contains("needs a second person");
        assertThat(both.provider.applyCount()).isZero();
    }

    @Test
    void scanStartsInTheBackgroundAndIsAnnounced() {
        JsonNode r = json(h.teams(TEAMS_OPERATOR, "Alex Wilber", "scan"));
        assertThat(r.path("text").asText()).contains("Scan started");
        assertThat(h.audit("chatops.scan")).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("ok"));
    }

    @Test
    void mentionMarkupAndEntitiesAreStrippedFromTheCommand() {
        assertThat(TeamsHandler.commandText("<at>Cloudwarden</at>&nbsp;findings --severity high\n"))
                .isEqualTo("findings --severity high");
        assertThat(TeamsHandler.commandText("<div><at>Cloud Warden</at> explain <b>f-1</b></div>"))
                .isEqualTo("explain  f-1");
    }
}
