package io.cloudwarden.app.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The function app folder (host.json + one function.json per function) agrees with the handlers: the host invokes
 * {@code /<folder name>}, Data is keyed by the trigger binding's name, forwarded HTTP arrives under the route prefix.
 */
class FunctionAppLayoutTest {
    private static final java.nio.file.Path APP = java.nio.file.Path.of("src/main/azure-functions");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hostJsonRunsTheRunnerJarAsACustomHandlerWithForwardedHttp() throws IOException {
        JsonNode host = read(APP.resolve("host.json"));

        assertThat(host.path("version").asText()).isEqualTo("2.0");
        JsonNode description = host.at("/customHandler/description");
        assertThat(description.path("defaultExecutablePath").asText()).isEqualTo("java");
        List<String> args = new ArrayList<>();
        description.path("arguments").forEach(a -> args.add(a.asText()));
        assertThat(args).containsSubsequence("-jar", "cloudwarden-azure-runner.jar");
        assertThat(host.at("/customHandler/enableForwardingHttpRequest").asBoolean()).isTrue();
        assertThat(host.at("/extensionBundle/id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat("/" + host.at("/extensions/http/routePrefix").asText()).isEqualTo(ForwardedHttp.PREFIX);
        assertThat(host.at("/extensions/queues/messageEncoding").asText()).isEqualTo("base64");
    }

    @Test
    void eachFunctionFolderHasAHandlerAtItsNameReadingItsTriggerBinding() throws IOException {
        assertTrigger("timer", TimerFunction.class, "timerTrigger", TimerFunction.BINDING);
        assertTrigger("eventgrid", EventGridFunction.class, "eventGridTrigger", EventGridFunction.BINDING);
        assertTrigger("queue", QueueFunction.class, "queueTrigger", QueueFunction.BINDING);

        JsonNode timer = trigger("timer");
        assertThat(timer.path("schedule").asText()).isEqualTo("%CLOUDWARDEN_SCHEDULE%");
        assertThat(timer.path("runOnStartup").asBoolean(true)).isFalse();
        assertThat(trigger("queue").path("queueName").asText()).isEqualTo("%CLOUDWARDEN_AZURE_QUEUE%");
    }

    @Test
    void theHttpFunctionCatchesEveryPathAndHasOnlyAnHttpOutputSoTheHostForwardsIt() throws IOException {
        JsonNode bindings = read(APP.resolve("http/function.json")).path("bindings");

        assertThat(bindings).hasSize(2);
        JsonNode trigger = trigger("http");
        assertThat(trigger.path("type").asText()).isEqualTo("httpTrigger");
        assertThat(trigger.path("route").asText()).isEqualTo("{*path}");
        assertThat(trigger.path("methods").toString()).contains("get", "post", "options");
        assertThat(bindings.get(1).path("type").asText()).isEqualTo("http");
        assertThat(bindings.get(1).path("direction").asText()).isEqualTo("out");
    }

    @Test
    void noOtherFunctionFoldersExist() throws IOException {
        try (Stream<java.nio.file.Path> dirs = Files.list(APP)) {
            assertThat(dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("timer", "eventgrid", "queue", "http");
        }
    }

    private void assertTrigger(String function, Class<?> handler, String type, String binding) throws IOException {
        JsonNode trigger = trigger(function);
        assertThat(trigger.path("type").asText()).as(function + " trigger type").isEqualTo(type);
        assertThat(trigger.path("name").asText()).as(function + " binding name").isEqualTo(binding);
        assertThat(handler.getAnnotation(Path.class).value()).isEqualTo("/" + function);
    }

    private JsonNode trigger(String function) throws IOException {
        for (JsonNode b : read(APP.resolve(function).resolve("function.json")).path("bindings")) {
            if (b.path("direction").asText().equals("in")) {
                return b;
            }
        }
        throw new AssertionError(function + "/function.json has no trigger binding");
    }

    private JsonNode read(java.nio.file.Path file) throws IOException {
        return json.readTree(Files.readAllBytes(file));
    }
}
