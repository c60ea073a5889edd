package io.cloudwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.EventHandler;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "event", mixinStandardHelpOptions = true,
        description = {"Handle one cloud trigger payload as the event function would: parse it, re-collect the",
                "resources it names, evaluate the rules on them and plan remediation. --parse-only prints the",
                "parsed resource events (cloud, account, region, type, id, actor, action, eventId) as JSON."})
final class EventCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, azure or gcp.")
    String cloud;

    @Option(names = "--file", required = true, paramLabel = "EVENT.json", description = "The payload as delivered.")
    Path file;

    @Option(names = "--parse-only", description = "Only parse and print the resource events.")
    boolean parseOnly;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint override for re-collection.")
    String endpoint;

    @Option(names = "--sandbox", description = "Re-collect from the sandbox estate, with state in <state-dir>/sandbox.")
    boolean sandbox;

    @Override
    public Integer call() throws IOException {
        Cloud c = CloudScope.cloud(cloud);
        JsonNode envelope;
        try {
            envelope = ModelJson.mapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (envelope == null || envelope.isMissingNode()) {
            throw new InputException(file + ": empty file (expected a JSON event)");
        }
        java.util.Map<String, String> overrides = endpoint == null ? java.util.Map.of()
                : java.util.Map.of("cloudwarden." + c.id() + ".endpoint", endpoint);
        if (sandbox && endpoint != null) {
            throw new InputException("--endpoint-url cannot be combined with --sandbox (the sandbox serves its own"
                    + " endpoint)");
        }
        try (SandboxMode sb = sandbox ? SandboxMode.start(common) : null;
                Cloudwarden cw = sb != null ? sb.open(java.util.Map.of()) : Runtime.open(common, overrides)) {
            EventHandler handler = new EventHandler(cw, request -> { });
            var out = spec.commandLine().getOut();
            if (parseOnly) {
                ParsedEvents parsed = handler.parse(c, envelope);
                var root = ModelJson.mapper().createObjectNode();
                root.set("events", ModelJson.mapper().valueToTree(parsed.events()));
                root.set("ignored", ModelJson.mapper().valueToTree(parsed.ignored()));
                root.put("scheduled", parsed.scheduled());
                parsed.reply().ifPresent(r -> root.set("reply", r));
                out.println(root.toPrettyString());
                out.flush();
                return ExitCodes.OK;
            }
            EventOutcome outcome = handler.handle(c, envelope);
            out.println(ModelJson.mapper().valueToTree(outcome).toPrettyString());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
