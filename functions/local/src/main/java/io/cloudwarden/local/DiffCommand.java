package io.cloudwarden.local;

import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.report.DriftReportWriter;
import io.cloudwarden.engine.report.ReportFormat;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what was added, removed or modified between two snapshots.",
                "Resources in a scope either snapshot could not read are not compared (never 'removed' or 'added');"
                        + " exit 3 when there are such scopes and --exit-code found no difference."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The older snapshot: a file, or @latest / @previous from the state.")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW", description = "The newer snapshot: a file, or @latest / @previous from the state.")
    Path newer;

    @Option(names = "--ignore", paramLabel = "FILE", description = "An ignore file (.cloudwardenignore format).")
    Path ignore;

    @Option(names = "--format", defaultValue = "table", description = "json, markdown or table.")
    String format;

    @Option(names = "--exit-code", description = "Exit 1 when the snapshots differ (like git diff --exit-code).")
    boolean exitCode;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout ('-': stdout).")
    Path out;

    @Option(names = "--sandbox", description = "@latest and @previous name the sandbox's snapshots (<state-dir>/sandbox).")
    boolean sandbox;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = ReportFormat.parse(format);
        // the report compares attributes; raw evidence is not held for two whole snapshots
        io.cloudwarden.functions.CoreConfig cfg = sandbox ? SandboxMode.stateOnly(common) : Runtime.config(common,
                Map.of());
        Snapshot a = StateSnapshots.read(cfg, older, SnapshotReader.Raw.SKIP);
        Snapshot b = StateSnapshots.read(cfg, newer, SnapshotReader.Raw.SKIP);
        IgnoreRules rules = ignore == null ? IgnoreRules.none() : IgnoreRules.parse(ignore);
        DriftReport report = new DriftEngine().compareSnapshots(a, b, rules, Map.of());
        Terminal term = Terminal.current();
        boolean color = term.color(common) && (out == null || Output.isStdout(out));
        Output.write(out, spec.commandLine().getOut(), w -> DriftReportWriter.write(report, fmt, w, color,
                term.width()));
        if (!common.quiet) {
            DriftCommand.warnUnread(spec.commandLine().getErr(), report);
        }
        if (exitCode && report.hasDrift()) {
            return ExitCodes.FINDINGS;
        }
        return report.partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
