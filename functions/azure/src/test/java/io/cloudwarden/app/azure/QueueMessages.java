package io.cloudwarden.app.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back what was sent to the recorded queue service: each Put Message body's MessageText, base64-decoded. */
final class QueueMessages {
    private static final Pattern TEXT = Pattern.compile("<MessageText>(.*?)</MessageText>", Pattern.DOTALL);

    private QueueMessages() {
    }

    /** The CloudEvents sent so far, oldest first. */
    static List<JsonNode> sent(WireMockServer queue) {
        List<JsonNode> sent = new ArrayList<>(queue.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().startsWith(RecordedAzure.QUEUE_MESSAGES_PATH))
                .map(QueueMessages::decode).toList());
        Collections.reverse(sent); // WireMock lists the newest first
        return sent;
    }

    static JsonNode decode(LoggedRequest request) {
        Matcher m = TEXT.matcher(request.getBodyAsString());
        if (!m.find()) {
            throw new AssertionError("Put Message body without <MessageText>: " + request.getBodyAsString());
        }
        byte[] event = Base64.getDecoder().decode(m.group(1));
        try {
            return ModelJson.mapper().readTree(new String(event, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
