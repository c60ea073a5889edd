package io.cloudwarden.local;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cloudwarden completion}: picocli's generated completion script for the whole command tree. The script is
 * bash; zsh runs it through {@code bashcompinit} (picocli's script enables that itself when sourced from zsh).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script (bash, and zsh through bashcompinit).",
                "Enable it for this shell with: source <(cloudwarden completion). The alias or command name"
                        + " 'cloudwarden' must be what you type."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "bash or zsh (the same script; default: ${DEFAULT-VALUE}).")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new InputException("SHELL: expected bash or zsh but was '" + shell + "'");
        }
        String script = AutoComplete.bash("cloudwarden", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
