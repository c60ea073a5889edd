package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.permissions.TriggersGenerator;
import io.cloudwarden.model.Cloud;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the event-subscription lists of one cloud, generated from the registered providers' type declarations. The
 * files {@code infra/<cloud>/triggers.json} are this command's output; a test fails when they drift from it.
 */
@Command(name = "triggers", mixinStandardHelpOptions = true,
        description = {"Print the cloud events Cloudwarden's triggers subscribe to.",
                "Generated from the providers' type declarations: the JSON infra/<cloud>/triggers.json that Terraform"
                        + " reads."})
final class TriggersCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, azure or gcp.")
    String cloud;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Cloud c = CloudScope.cloud(cloud);
        String text = new TriggersGenerator(ProviderRegistry.discover()).render(c);
        Output.write(out, spec.commandLine().getOut(), w -> w.write(text));
        return ExitCodes.OK;
    }
}
