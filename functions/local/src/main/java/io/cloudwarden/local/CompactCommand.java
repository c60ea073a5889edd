package io.cloudwarden.local;

import io.cloudwarden.engine.state.StateRepository;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Fold the events' pending per-resource updates into the latest snapshot.",
                "Events record small updates (snapshots/updates/) instead of rewriting the snapshot; readers lay them"
                        + " over snapshots/latest.json. They are also folded automatically after"
                        + " cloudwarden.state.compact-after updates and by every full scan."})
final class CompactCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--sandbox", description = "Compact the sandbox's state (<state-dir>/sandbox).")
    boolean sandbox;

    @Override
    public Integer call() {
        StateRepository repo = StateSnapshots.repository(sandbox ? SandboxMode.stateOnly(common)
                : Runtime.config(common, Map.of()));
        StateRepository.Compaction c = repo.compact();
        spec.commandLine().getOut().println(c.snapshot().isEmpty()
                ? "nothing to compact: no snapshot in " + repo.store().describe()
                : "folded " + c.folded() + " update(s) into " + StateRepository.LATEST_SNAPSHOT + " ("
                        + c.snapshot().get().resources().size() + " resources) in " + repo.store().describe());
        return ExitCodes.OK;
    }
}
