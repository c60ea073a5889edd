package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RendererTest {
    private final ChatReply plan = ChatReply.builder("plan `p-1` awaits approval")
            .fields(List.of(new ChatReply.Field("Risk", "high")))
            .section("Change (before → after)", List.of("`publicAccess`: true → false"))
            .decision("p-0123456789abcdef", "block public access on logs").build();

    @Test
    void slackDecisionIsApproveAndDenyButtonsCarryingOnlyThePlanId() {
        JsonNode msg = SlackRenderer.render(plan);
        JsonNode actions = msg.path("blocks").get(msg.path("blocks").size() - 1);
        assertThat(actions.path("type").asText()).isEqualTo("actions");
        assertThat(actions.path("elements")).hasSize(2);
        assertThat(actions.path("elements").get(0).path("action_id").asText()).isEqualTo("approve");
        assertThat(actions.path("elements").get(0).path("value").asText()).isEqualTo("p-0123456789abcdef");
        assertThat(actions.path("elements").get(0).path("confirm").path("text").path("text").asText())
                .isEqualTo("block public access on logs");
        assertThat(actions.path("elements").get(1).path("action_id").asText()).isEqualTo("deny");
        assertThat(actions.path("elements").get(1).path("value").asText()).isEqualTo("p-0123456789abcdef");
    }

    @Test
    void slackRespectsBlockKitLimits() {
        ChatReply.Builder b = ChatReply.builder("many");
        IntStream.range(0, 80).forEach(i -> b.section("s" + i, List.of("x".repeat(4000))));
        JsonNode msg = SlackRenderer.render(b.build());
        assertThat(msg.path("blocks").size()).isLessThanOrEqualTo(SlackRenderer.MAX_BLOCKS);
        msg.path("blocks").forEach(block -> assertThat(block.path("text").path("text").asText().length())
                .isLessThanOrEqualTo(SlackRenderer.MAX_SECTION));
    }

    @Test
    void teamsDecisionIsTypedCommandsBecauseOutgoingWebhookCardsHaveNoSubmitActions() {
        JsonNode msg = TeamsRenderer.render(plan);
        JsonNode card = msg.path("attachments").get(0).path("content");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        assertThat(card.has("actions")).isFalse();
        assertThat(card.path("body").toString()).contains("`approve p-0123456789abcdef`")
                .contains("FactSet").contains("`publicAccess`: true → false");
    }
}
