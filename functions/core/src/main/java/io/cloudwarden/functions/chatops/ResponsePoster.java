package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * Delivers a delayed Slack answer to the request's {@code response_url}. The URL has already passed the allow-list
 * ({@link ResponseUrls}); implementations must not throw for delivery failures (log them instead).
 */
@FunctionalInterface
public interface ResponsePoster {
    void post(URI responseUrl, ObjectNode message);
}
