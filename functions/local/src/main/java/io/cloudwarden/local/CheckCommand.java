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
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Severity;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Evaluate policy rules (CEL) over a snapshot and report the findings.",
                "Without --snapshot, the latest snapshot in the state directory (from 'scan') is used; without"
                        + " --policies, the built-in rule pack ('cloudwarden rules' lists it)."})
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
            description = "json, ocsf, ocsf-ndjson (one OCSF event per line), sarif, markdown, table or html"
                    + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding at or above this severity exists (critical, high, medium, low, info).")
    String failOn;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout ('-': stdout).")
    Path out;

    @Option(names = "--sandbox", description = "Read the latest snapshot of the sandbox (<state-dir>/sandbox).")
    boolean sandbox;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = ReportFormat.parse(format);
        Severity threshold = failOn == null ? null : parseSeverity(failOn);
        Snapshot stored = snapshot == null ? latest() : null;
        List<Rule> rules = new ArrayList<>();
        PolicyEngine engine;
        if (policies.isEmpty()) {
            rules.addAll(PolicyLoader.builtIn());
            // the built-in pack is known to compile (its tests compile it whole): compile a type's rules only when
            // the snapshot holds that type
            engine = PolicyEngine.lazy(rules, Clock.systemUTC());
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
            engine = new PolicyEngine(rules); // a bad rule fails before the snapshot is read
        }
        // raw evidence is kept only when a rule may read it (resource.raw); the report never shows it
        SnapshotReader.Raw raw = rules.stream().anyMatch(r -> r.condition().contains("raw"))
                ? SnapshotReader.Raw.KEEP : SnapshotReader.Raw.SKIP;
        Optional<Instant> takenAt;
        List<ScanError> scanErrors;
        Evaluation eval;
        // this thread reads and validates while the cores evaluate, in batches whose findings are joined in input
        // order (PolicyEngine.start(int)); a snapshot smaller than one batch is evaluated on this thread alone
        try (PolicyEngine.Run run = engine.start(java.lang.Runtime.getRuntime().availableProcessors())) {
            if (snapshot != null) {
                // evaluated resource by resource as the file streams in: the snapshot is never held whole
                SnapshotReader.Header h = SnapshotReader.stream(snapshot, raw, run);
                takenAt = Optional.of(h.takenAt());
                scanErrors = h.errors();
            } else {
                stored.resources().forEach(run);
                takenAt = Optional.of(stored.takenAt());
                scanErrors = stored.errors();
            }
            eval = run.evaluation();
        }
        FindingsReport report = new FindingsReport(Instant.now(), takenAt, eval.resourcesEvaluated(),
                eval.findings(), rules, scanErrors);
        Terminal term = Terminal.current();
        boolean color = term.color(common) && (out == null || Output.isStdout(out));
        Output.write(out, spec.commandLine().getOut(), w -> FindingsReportWriter.write(report, fmt, w, color,
                term.width()));
        if (threshold != null && eval.findings().stream().anyMatch(f -> f.status() == Finding.Status.FAIL
                && f.severity().atLeast(threshold))) {
            return ExitCodes.FINDINGS;
        }
        return scanErrors.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private Snapshot latest() {
        if (sandbox) {
            var cfg = SandboxMode.stateOnly(common);
            return new StateRepository(StateStores.open(cfg.stateLocation(), io.cloudwarden.engine.ProviderRegistry
                    .discover(), cfg)).latestSnapshot().orElseThrow(() -> new InputException("no sandbox snapshot in "
                    + cfg.stateLocation() + ": run 'cloudwarden scan --sandbox' or 'cloudwarden sandbox' first"));
        }
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
