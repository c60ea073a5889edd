package io.cloudwarden.functions.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real poster against a loopback server standing in for hooks.slack.com. */
class HttpClientResponsePosterTest {
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("content-type"));
            int status = exchange.getRequestURI().getPath().startsWith("/redirect") ? 307 : 200;
            if (status == 307) {
                exchange.getResponseHeaders().add("Location", "http://attacker.invalid/steal");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheMessageAsJsonToAnAllowedUrl() throws IOException {
        var poster = new HttpClientResponsePoster(new ResponseUrls(List.of(base + "/commands/")));
        poster.post(URI.create(base + "/commands/T0001/1234/abc"), SlackRenderer.render(ChatReply.text("done")));

        assertThat(received).singleElement().satisfies(r -> assertThat(r).startsWith("POST /commands/T0001/1234/abc "));
        JsonNode body = ModelJson.mapper().readTree(received.get(0).substring(received.get(0).indexOf('{')));
        assertThat(body.path("text").asText()).isEqualTo("done");
        assertThat(contentTypes.get(0)).startsWith("application/json");
    }

    @Test
    void refusesAUrlOutsideTheAllowListWithoutConnecting() {
        var poster = new HttpClientResponsePoster(new ResponseUrls(List.of("https://hooks.slack.com/")));
        poster.post(URI.create(base + "/commands/x"), SlackRenderer.render(ChatReply.text("secret findings")));
        assertThat(received).isEmpty();
    }

    @Test
    void doesNotFollowRedirectsAndDoesNotThrowOnErrors() {
        var poster = new HttpClientResponsePoster(new ResponseUrls(List.of(base + "/")));
        poster.post(URI.create(base + "/redirect/x"), SlackRenderer.render(ChatReply.text("x")));
        assertThat(received).singleElement().satisfies(r -> assertThat(r).startsWith("POST /redirect/x"));

        server.stop(0);
        poster.post(URI.create(base + "/gone"), SlackRenderer.render(ChatReply.text("x")));
    }
}
