package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanRuns;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.functions.fanout.RunStatus;
import io.cloudwarden.model.ModelJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cloudwarden status}: the fanned-out scheduled scans recorded in the state (point {@code --state-dir} or
 * {@code CLOUDWARDEN_STATE} at the cloud's state bucket to read a deployment's), each with its shards collected so
 * far and where it stands. Reads only; opens no provider.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the fanned-out scan runs: shards collected, deadline, merged or not.",
                "Exit 0; 3 when a run is overdue (its deadline passed and it was never merged) or its merge failed."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Option(names = "--format", defaultValue = "table", description = "json or table.")
    String format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--sandbox", description = "Read the sandbox's state (<state-dir>/sandbox).")
    boolean sandbox;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("json") && !format.equals("table")) {
            throw new InputException("--format: expected json or table but was '" + format + "'");
        }
        CoreConfig cfg = sandbox ? SandboxMode.stateOnly(common) : Runtime.config(common, Map.of());
        var store = StateStores.open(cfg.stateLocation(), ProviderRegistry.discover(), cfg);
        List<RunStatus> runs = RunStatus.all(new ScanRuns(new StateRepository(store)), Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.print(ModelJson.prettyString(Outcomes.status(runs)));
        } else if (runs.isEmpty()) {
            out.println("no fanned-out scan runs in " + store.describe());
        } else {
            out.printf("%-26s %-11s %-9s %-24s %-24s %s%n", "RUN", "STATE", "SHARDS", "PLANNED", "DEADLINE", "DETAIL");
            for (RunStatus r : runs) {
                out.printf("%-26s %-11s %-9s %-24s %-24s %s%n", r.run(), r.state(), r.collected() + "/" + r.shards(),
                        r.createdAt(), r.deadline(), r.detail().isEmpty() ? r.trigger() : r.detail());
            }
        }
        out.flush();
        return runs.stream().anyMatch(RunStatus::stuck) ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
