package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.CoreConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseUrlsTest {
    private final ResponseUrls slackOnly = ResponseUrls.from(CoreConfig.of(Map.of()));

    @Test
    void slackHooksAreAllowedByDefault() {
        assertThat(slackOnly.check("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"))
                .isPresent();
        assertThat(slackOnly.check("https://hooks.slack.com/actions/T0001/548261231/J8HYwGCQ2iJmcjOs7nSfiA6p"))
                .isPresent();
    }

    @Test
    void otherHostsLookalikesPlainHttpAndUserInfoAreRefused() {
        assertThat(slackOnly.check("https://attacker.example/collect")).isEmpty();
        assertThat(slackOnly.check("https://hooks.slack.com.attacker.example/x")).isEmpty();
        assertThat(slackOnly.check("https://hooks.slack.com@attacker.example/x")).isEmpty();
        assertThat(slackOnly.check("http://hooks.slack.com/commands/x")).isEmpty();
        assertThat(slackOnly.check("http://169.254.169.254/latest/meta-data/")).isEmpty();
        assertThat(slackOnly.check("not a url")).isEmpty();
        assertThat(slackOnly.check("")).isEmpty();
    }

    @Test
    void theAllowListIsConfigurable() {
        ResponseUrls custom = ResponseUrls.from(CoreConfig.of(Map.of(ResponseUrls.KEY,
                "https://hooks.slack.com/, https://slack.internal.example/hooks/")));
        assertThat(custom.check("https://slack.internal.example/hooks/abc")).isPresent();
        assertThat(custom.check("https://slack.internal.example/other")).isEmpty();
    }
}
