package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignatureTest {
    /** The worked example of Slack's "Verifying requests from Slack" guide. */
    private static final String SLACK_DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String SLACK_DOC_TS = "1531420618";
    private static final String SLACK_DOC_SIGNATURE =
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private final byte[] docBody = ChatOpsHarness.fixture("slack-signing-example.txt")
            .getBytes(StandardCharsets.UTF_8);
    private final Instant docNow = Instant.ofEpochSecond(1531420618 + 10);

    @Test
    void slackSignatureMatchesSlacksWorkedExample() {
        SlackSignature s = new SlackSignature(SLACK_DOC_SECRET);
        assertThat(s.sign(SLACK_DOC_TS, docBody)).isEqualTo(SLACK_DOC_SIGNATURE);
        s.verify(SLACK_DOC_TS, SLACK_DOC_SIGNATURE, docBody, docNow);
    }

    @Test
    void slackRejectsAChangedByteMissingHeadersAndClockSkew() {
        SlackSignature s = new SlackSignature(SLACK_DOC_SECRET);
        byte[] changed = docBody.clone();
        changed[changed.length - 1] ^= 1;
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, SLACK_DOC_SIGNATURE, changed, docNow))
                .isInstanceOf(SignatureException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> s.verify("", SLACK_DOC_SIGNATURE, docBody, docNow))
                .hasMessageContaining("X-Slack-Request-Timestamp: missing");
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, "", docBody, docNow))
                .hasMessageContaining("X-Slack-Signature: missing");
        assertThatThrownBy(() -> s.verify("yesterday", SLACK_DOC_SIGNATURE, docBody, docNow))
                .hasMessageContaining("expected Unix seconds");
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, SLACK_DOC_SIGNATURE, docBody, docNow.plusSeconds(301)))
                .hasMessageContaining("more than 5 minutes");
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, SLACK_DOC_SIGNATURE, docBody, docNow.minusSeconds(320)))
                .hasMessageContaining("more than 5 minutes");
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, SLACK_DOC_SIGNATURE.replace("v0=", "v1="), docBody,
                docNow)).hasMessageContaining("does not match");
    }

    @Test
    void slackErrorMessagesNeverQuoteSecretOrSignatures() {
        SlackSignature s = new SlackSignature(SLACK_DOC_SECRET);
        assertThatThrownBy(() -> s.verify(SLACK_DOC_TS, "v0=00", docBody, docNow))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SLACK_DOC_SECRET)
                        .doesNotContain(SLACK_DOC_SIGNATURE.substring(3)).doesNotContain("v0=00"));
    }

    @Test
    void teamsSignatureIsBase64HmacWithTheDecodedToken() {
        TeamsSignature t = new TeamsSignature(ChatOpsHarness.TEAMS_SECRET);
        byte[] body = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        String header = t.sign(body);
        assertThat(header).startsWith("HMAC ");
        t.verify(header, body);
        t.verify("hmac " + header.substring(5), body);
        assertThatThrownBy(() -> t.verify(header, "{\"type\":\"message\" }".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> t.verify("", body)).hasMessageContaining("Authorization: missing");
        assertThatThrownBy(() -> t.verify("Basic abc", body)).hasMessageContaining("HMAC scheme");
    }

    @Test
    void teamsRefusesATokenThatIsNotBase64WithoutQuotingIt() {
        assertThatThrownBy(() -> new TeamsSignature("s3cr3t!!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cloudwarden.teams.secret").satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("s3cr3t!!"));
    }
}
