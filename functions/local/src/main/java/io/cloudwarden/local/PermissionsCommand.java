package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.permissions.PermissionRole;
import io.cloudwarden.functions.permissions.PermissionsException;
import io.cloudwarden.functions.permissions.PermissionsGenerator;
import io.cloudwarden.functions.permissions.PolicyFormat;
import io.cloudwarden.model.Cloud;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the least-privilege permissions of one role on one cloud, generated from the registered providers. The
 * files under {@code infra/<cloud>/policies/} are this command's output; a test fails when they drift from it.
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = {"Print the least-privilege policy of a Cloudwarden identity, generated from the code:",
                "scanner = every collector's read permissions; remediator = exactly the remediators' permissions."})
final class PermissionsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, azure or gcp.")
    String cloud;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "scanner or remediator.")
    String role;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
            description = "json (the cloud's policy document; default) or terraform (an HCL snippet).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Cloud c = CloudScope.cloud(cloud);
        PermissionRole r;
        PolicyFormat f;
        try {
            r = PermissionRole.parse(role);
            f = PolicyFormat.parse(format);
        } catch (PermissionsException e) {
            throw new InputException(e.getMessage());
        }
        String text = new PermissionsGenerator(ProviderRegistry.discover()).render(c, r, f);
        Output.write(out, spec.commandLine().getOut(), w -> w.write(text));
        return ExitCodes.OK;
    }
}
