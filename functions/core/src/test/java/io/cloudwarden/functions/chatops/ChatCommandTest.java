package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.chatops.ChatCommand.Verb;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCommandTest {
    @Test
    void blankTextIsHelp() {
        assertThat(ChatCommand.parse("  ").verb()).isEqualTo(Verb.HELP);
        assertThat(ChatCommand.parse(null).verb()).isEqualTo(Verb.HELP);
    }

    @Test
    void verbsAreCaseInsensitiveAndArgumentsKeepTheirCase() {
        ChatCommand c = ChatCommand.parse("Explain f-AbC");
        assertThat(c.verb()).isEqualTo(Verb.EXPLAIN);
        assertThat(c.args()).containsExactly("f-AbC");
    }

    @Test
    void optionsTakeTheNextWordOrAnEqualsValue() {
        ChatCommand c = ChatCommand.parse("findings --severity high --cloud=aws");
        assertThat(c.options()).isEqualTo(Map.of("severity", "high", "cloud", "aws"));
        assertThat(c.args()).isEmpty();
        assertThat(ChatCommand.parse("findings --severity").options()).containsEntry("severity", "");
    }

    @Test
    void multipleCloudsForScan() {
        ChatCommand c = ChatCommand.parse("scan aws\tgcp");
        assertThat(c.verb()).isEqualTo(Verb.SCAN);
        assertThat(c.args()).isEqualTo(List.of("aws", "gcp"));
    }

    @Test
    void unknownWordsParseToUnknown() {
        ChatCommand c = ChatCommand.parse("rm -rf /");
        assertThat(c.verb()).isEqualTo(Verb.UNKNOWN);
        assertThat(c.word()).isEqualTo("rm");
    }

    @Test
    void commandsMapToTheirMinimalRole() {
        assertThat(List.of(Verb.HELP, Verb.FINDINGS, Verb.DRIFT, Verb.EXPLAIN, Verb.STATUS))
                .allSatisfy(v -> assertThat(v.role()).isEqualTo(Role.VIEWER));
        assertThat(Verb.SCAN.role()).isEqualTo(Role.OPERATOR);
        assertThat(Verb.REMEDIATE.role()).isEqualTo(Role.OPERATOR);
        assertThat(Verb.APPROVE.role()).isEqualTo(Role.APPROVER);
        assertThat(Verb.DENY.role()).isEqualTo(Role.APPROVER);
    }

    @Test
    void textIsTheNormalisedCommandForTheAuditTrail() {
        assertThat(ChatCommand.parse("  findings   --cloud aws ").text()).isEqualTo("findings --cloud aws");
    }
}
