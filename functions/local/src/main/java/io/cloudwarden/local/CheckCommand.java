package io.cloudwarden.local;

import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.policy.PolicyEngine;
import io.cloudwarden.engine.policy.PolicyLoader;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.engine.report.FindingsReport;
import io.cloudwarden.engine.report.FindingsReportWriter;
import io.cloudwarden.engine.report.ReportFormat;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Severity;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Evaluate policy rules (CEL) over a snapshot and report the findings.",
                "Without --snapshot, the latest snapshot in the state directory (from 'scan') is used;",
                "without --policies, the built-in rule pack."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--snapshot", paramLabel = "FILE", description = "Snapshot JSON (cloudwarden/snapshot/v1).")
    Path snapshot;

    @Option(names = "--policies", paramLabel = "FILE|DIR", description = "Rules file or directory (repeatable).")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "json, ocsf, sarif, markdown or table (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding at or above this severity exists (critical, high, medium, low, info).")
    String failOn;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = ReportFormat.parse(format);
        Severity threshold = failOn == null ? null : parseSeverity(failOn);
        Snapshot snap = snapshot != null ? SnapshotReader.read(snapshot) : latest();
        List<Rule> rules = new ArrayList<>();
        if (policies.isEmpty()) {
            rules.addAll(PolicyLoader.builtIn());
        } else {
            Set<String> ids = new HashSet<>();
            for (Path p : policies) {
                for (Rule r : PolicyLoader.load(p)) {
                    if (!ids.add(r.id())) {
                        throw new InputException(r.source() + ": rule id '" + r.id()
                                + "' is defined twice (expected unique rule ids across --policies)");
                    }
                    rules.add(r);
                }
            }
        }
        Evaluation eval = new PolicyEngine(rules).evaluateAll(snap.resources());
        FindingsReport report = FindingsReport.of(snap, eval, rules, Instant.now());
        Output.write(out, spec.commandLine().getOut(), w -> FindingsReportWriter.write(report, fmt, w));
        if (threshold != null && eval.findings().stream().anyMatch(f -> f.status() == Finding.Status.FAIL
                && f.severity().atLeast(threshold))) {
            return ExitCodes.FINDINGS;
        }
        return snap.partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    private Snapshot latest() {
        StateRepository repo = new StateRepository(StateStores.open(
                Runtime.config(common, Map.of()).stateLocation(), io.cloudwarden.engine.ProviderRegistry.discover(), Runtime.config(common, Map.of())));
        return repo.latestSnapshot().orElseThrow(() -> new InputException(
                "no snapshot given and none in the state directory: pass --snapshot FILE or run 'cloudwarden scan'"
                        + " first"));
    }

    static Severity parseSeverity(String s) {
        try {
            return Severity.of(s);
        } catch (IllegalArgumentException e) {
            throw new InputException("--fail-on: expected one of critical, high, medium, low, info but was '" + s
                    + "'");
        }
    }
}
