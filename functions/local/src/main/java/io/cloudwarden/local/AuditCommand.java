package io.cloudwarden.local;

import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.StateStores;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the audit trail.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify the hash chain of <state-dir>/audit.jsonl.",
                    "Exit 0 when intact; 1 naming the first record that does not match."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        Cli.Common common = new Cli.Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Option(names = "--sandbox",
                description = "Verify the sandbox's trail (<state-dir>/sandbox/audit.jsonl).")
        boolean sandbox;

        @Override
        public Integer call() {
            CoreConfig cfg = sandbox ? SandboxMode.stateOnly(common) : Runtime.config(common, Map.of());
            var store = StateStores.open(cfg.stateLocation(), ProviderRegistry.discover(), cfg);
            var v = new AuditChain(store).verify();
            var out = spec.commandLine().getOut();
            if (v.intact()) {
                out.println("audit trail intact: " + v.records() + " records in " + store.describe());
                out.flush();
                return ExitCodes.OK;
            }
            String where = (v.firstBrokenSeq().isPresent() ? "record seq " + v.firstBrokenSeq().getAsLong() : "a record")
                    + (v.line() > 0 ? " (line " + v.line() + " of audit.jsonl)" : "");
            spec.commandLine().getErr().println("audit trail BROKEN in " + store.describe() + ": first bad record is "
                    + where + ": " + v.reason());
            spec.commandLine().getErr().flush();
            return ExitCodes.FINDINGS;
        }
    }
}
