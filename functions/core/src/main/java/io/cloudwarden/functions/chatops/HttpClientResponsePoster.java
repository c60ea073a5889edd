package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts delayed answers with {@link HttpClient}. The allow-list is checked again here (defence in depth), redirects
 * are not followed (a redirect could leave the allowed host), and failures are logged with the host only: a
 * {@code response_url} is itself a short-lived credential for the channel.
 */
public final class HttpClientResponsePoster implements ResponsePoster {
    private static final System.Logger LOG = System.getLogger(HttpClientResponsePoster.class.getName());
    private final java.util.function.Supplier<HttpClient> clientFactory;
    private final ResponseUrls allowed;
    private volatile HttpClient client;

    /** The client (and its selector thread) is created on the first post, not when the routes are wired. */
    public HttpClientResponsePoster(ResponseUrls allowed) {
        this(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build(), allowed);
    }

    public HttpClientResponsePoster(java.util.function.Supplier<HttpClient> clientFactory, ResponseUrls allowed) {
        this.clientFactory = clientFactory;
        this.allowed = allowed;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = clientFactory.get();
                }
                c = client;
            }
        }
        return c;
    }

    @Override
    public void post(URI responseUrl, ObjectNode message) {
        if (allowed.check(responseUrl.toString()).isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "chatops: refusing to post to a response_url on {0} (not in {1})",
                    responseUrl.getHost(), ResponseUrls.KEY);
            return;
        }
        try {
            HttpRequest req = HttpRequest.newBuilder(responseUrl).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ModelJson.mapper().writeValueAsBytes(message)))
                    .build();
            HttpResponse<String> resp = client().send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 != 2) {
                LOG.log(System.Logger.Level.WARNING, "chatops: response_url on {0} answered {1}",
                        responseUrl.getHost(), resp.statusCode());
            }
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops: could not encode a chat reply: {0}", e.getOriginalMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops: posting to a response_url on {0} failed: {1}",
                    responseUrl.getHost(), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
