package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.functions.CloudEventCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verified chat command whose answer is posted later to the platform's {@code response_url}: what a chat route
 * hands over when the work may exceed the platform's deadline (Slack: 3 s). In-process it runs on a background
 * thread; on Lambda, which freezes the process once the response is returned, it travels as the CloudEvent
 * {@value #TYPE} through the work queue to the queue function.
 *
 * <p>Trust: a {@code ChatWork} is only ever made by a chat route <em>after</em> the request's signature was verified
 * and the caller's role checked; the queue it travels on is writable only by Cloudwarden's own functions (IAM), so
 * the queue consumer runs it without a signature of its own. {@code response_url} is checked against the allow-list
 * again before anything is posted.
 *
 * @param replaceOriginal for a button click: a decision replaces the message that carried the buttons
 */
public record ChatWork(ChatIdentity who, ChatCommand command, String requestId, String responseUrl,
        boolean replaceOriginal) {
    public static final String TYPE = "io.cloudwarden.chatops.requested.v1";

    /** The structured-mode CloudEvent carrying this work. */
    public byte[] encode() {
        ObjectNode data = ModelJson.mapper().createObjectNode();
        data.set("who", ModelJson.mapper().valueToTree(who));
        ObjectNode cmd = data.putObject("command");
        cmd.put("verb", command.verb().name());
        cmd.put("word", command.word());
        cmd.set("args", ModelJson.mapper().valueToTree(command.args()));
        cmd.set("options", ModelJson.mapper().valueToTree(command.options()));
        data.put("requestId", requestId);
        data.put("responseUrl", responseUrl);
        data.put("replaceOriginal", replaceOriginal);
        return CloudEventCodec.encode(TYPE, requestId, "/cloudwarden/chatops/" + who.platform(), data);
    }

    /** Reads the CloudEvent {@link #encode} wrote; a missing or mistyped field is named. */
    public static ChatWork decode(byte[] bytes) {
        JsonNode d = CloudEventCodec.decodeData(bytes, TYPE);
        JsonNode w = d.path("who");
        ChatIdentity who = new ChatIdentity(text(w, "platform", "data.who"), text(w, "workspace", "data.who"),
                text(w, "userId", "data.who"), w.path("userName").asText(""), w.path("channel").asText(""));
        JsonNode c = d.path("command");
        ChatCommand.Verb verb;
        try {
            verb = ChatCommand.Verb.valueOf(text(c, "verb", "data.command"));
        } catch (IllegalArgumentException e) {
            throw new EventParseException("data.command.verb", "expected one of "
                    + List.of(ChatCommand.Verb.values()) + " but was '" + c.path("verb").asText() + "'");
        }
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        Map<String, String> options = new LinkedHashMap<>();
        c.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        return new ChatWork(who, new ChatCommand(verb, c.path("word").asText(verb.name().toLowerCase()), args,
                options), text(d, "requestId", "data"), text(d, "responseUrl", "data"),
                d.path("replaceOriginal").asBoolean(false));
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new EventParseException(where + "." + field, "expected a non-empty string");
        }
        return v.asText();
    }
}
