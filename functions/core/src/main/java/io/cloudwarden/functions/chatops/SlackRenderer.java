package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import java.util.List;

/**
 * Renders a {@link ChatReply} as a Slack message payload (inline response or {@code response_url} body): {@code text}
 * fallback plus Block Kit {@code section}, {@code context} and {@code actions} blocks. Text from the estate (resource
 * names, messages) is escaped ({@code & < >}) so it cannot form Slack links or mentions; Block Kit limits (3,000
 * characters a section, 10 fields a section, 50 blocks) are respected by truncating.
 */
public final class SlackRenderer {
    static final int MAX_SECTION = 3000;
    static final int MAX_BLOCKS = 50;

    private SlackRenderer() {
    }

    public static ObjectNode render(ChatReply reply) {
        ObjectNode out = ModelJson.mapper().createObjectNode();
        out.put("response_type", reply.inChannel() ? "in_channel" : "ephemeral");
        out.put("text", escape(reply.text()));
        ArrayNode blocks = out.putArray("blocks");
        blocks.add(section(escape(reply.text())));
        for (ChatReply.Block b : reply.blocks()) {
            if (blocks.size() >= MAX_BLOCKS - 1) {
                blocks.add(context("…more omitted (Slack shows at most " + MAX_BLOCKS + " blocks)"));
                break;
            }
            if (b instanceof ChatReply.Section s) {
                StringBuilder sb = new StringBuilder();
                if (!s.title().isEmpty()) {
                    sb.append('*').append(escape(s.title())).append('*');
                }
                for (String line : s.lines()) {
                    sb.append(sb.length() == 0 ? "" : "\n").append(escape(line));
                }
                blocks.add(section(sb.toString()));
            } else if (b instanceof ChatReply.Fields f) {
                List<ChatReply.Field> all = f.fields();
                for (int i = 0; i < all.size(); i += 10) {
                    ObjectNode sec = blocks.addObject().put("type", "section");
                    ArrayNode fields = sec.putArray("fields");
                    for (ChatReply.Field x : all.subList(i, Math.min(all.size(), i + 10))) {
                        fields.addObject().put("type", "mrkdwn").put("text",
                                truncate("*" + escape(x.label()) + "*\n" + escape(x.value()), 2000));
                    }
                }
            } else if (b instanceof ChatReply.Decision d) {
                blocks.add(actions(d));
            } else if (b instanceof ChatReply.Note n) {
                blocks.add(context(escape(n.text())));
            }
        }
        return out;
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode s = ModelJson.mapper().createObjectNode().put("type", "section");
        s.putObject("text").put("type", "mrkdwn").put("text", truncate(mrkdwn.isEmpty() ? " " : mrkdwn,
                MAX_SECTION));
        return s;
    }

    private static ObjectNode context(String mrkdwn) {
        ObjectNode c = ModelJson.mapper().createObjectNode().put("type", "context");
        c.putArray("elements").addObject().put("type", "mrkdwn").put("text", truncate(mrkdwn, 2000));
        return c;
    }

    /** Approve / Deny buttons: the value is only the opaque plan id; the plan itself is looked up server-side. */
    private static ObjectNode actions(ChatReply.Decision d) {
        ObjectNode a = ModelJson.mapper().createObjectNode().put("type", "actions").put("block_id", "plan:" + d.planId());
        ArrayNode elements = a.putArray("elements");
        ObjectNode approve = elements.addObject().put("type", "button").put("action_id", "approve")
                .put("style", "primary").put("value", d.planId());
        approve.putObject("text").put("type", "plain_text").put("text", "Approve");
        ObjectNode confirm = approve.putObject("confirm");
        confirm.putObject("title").put("type", "plain_text").put("text", "Apply fix?");
        confirm.putObject("text").put("type", "mrkdwn").put("text", truncate(escape(d.summary()), 300));
        confirm.putObject("confirm").put("type", "plain_text").put("text", "Apply");
        confirm.putObject("deny").put("type", "plain_text").put("text", "Cancel");
        ObjectNode deny = elements.addObject().put("type", "button").put("action_id", "deny").put("style", "danger")
                .put("value", d.planId());
        deny.putObject("text").put("type", "plain_text").put("text", "Deny");
        return a;
    }

    /** Slack's three control characters in message text. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
