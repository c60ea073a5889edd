package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;

/**
 * Renders a {@link ChatReply} as the synchronous answer of a Teams outgoing webhook: a plain
 * {@code {"type":"message","text":…}} for one-liners, otherwise a message with an Adaptive Card (1.4) attachment.
 * Outgoing-webhook cards support only {@code Action.OpenUrl}, so a plan awaiting approval is shown with the
 * {@code approve}/{@code deny} commands to type instead of buttons.
 */
public final class TeamsRenderer {
    public static final String ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

    private TeamsRenderer() {
    }

    public static ObjectNode render(ChatReply reply) {
        ObjectNode out = ModelJson.mapper().createObjectNode().put("type", "message");
        out.put("text", reply.text());
        if (reply.blocks().isEmpty()) {
            return out;
        }
        ObjectNode card = out.putArray("attachments").addObject().put("contentType", ADAPTIVE_CARD)
                .putObject("content");
        card.put("type", "AdaptiveCard").put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("version", "1.4");
        ArrayNode body = card.putArray("body");
        text(body, reply.text(), true);
        for (ChatReply.Block b : reply.blocks()) {
            if (b instanceof ChatReply.Section s) {
                if (!s.title().isEmpty()) {
                    text(body, s.title(), true);
                }
                if (!s.lines().isEmpty()) {
                    // Adaptive Card markdown needs a blank line between paragraphs; bullets keep lines apart.
                    text(body, String.join("\n", s.lines().stream().map(l -> "- " + l).toList()), false);
                }
            } else if (b instanceof ChatReply.Fields f) {
                ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
                f.fields().forEach(x -> facts.addObject().put("title", x.label()).put("value", x.value()));
            } else if (b instanceof ChatReply.Decision d) {
                text(body, "To decide, mention me with `approve " + d.planId() + "` or `deny " + d.planId() + "`.",
                        false);
            } else if (b instanceof ChatReply.Note n) {
                body.addObject().put("type", "TextBlock").put("text", n.text()).put("wrap", true)
                        .put("isSubtle", true).put("size", "Small");
            }
        }
        return out;
    }

    private static void text(ArrayNode body, String text, boolean bold) {
        ObjectNode t = body.addObject().put("type", "TextBlock").put("text", text).put("wrap", true);
        if (bold) {
            t.put("weight", "Bolder");
        }
    }
}
