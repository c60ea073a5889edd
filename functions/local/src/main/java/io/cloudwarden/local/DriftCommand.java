package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.drift.BaselineLoader;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.report.DriftReportWriter;
import io.cloudwarden.engine.report.ReportFormat;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare the estate with its source of truth: Terraform state or an approved snapshot.",
                "The baseline is Terraform state files (format version 4) or an approved snapshot. The observed side"
                        + " is --snapshot FILE, or a live scan of the clouds the baseline names. Reports managed /"
                        + " unmanaged / missing / changed resources with RFC 6902 patches; exit 1 on drift.",
                "An ignore file is read from --ignore, else ./.cloudwardenignore when present."})
final class DriftCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Mixin
    CloudScope scope = new CloudScope();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    BaselineOptions source = new BaselineOptions();

    @Option(names = "--format", defaultValue = "table", description = "json, markdown, table or html.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout ('-': stdout).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = ReportFormat.parse(format);
        if (fmt == ReportFormat.SARIF || fmt == ReportFormat.OCSF || fmt == ReportFormat.OCSF_NDJSON) {
            // refused before anything is scanned
            throw new InputException("--format: " + fmt.id() + " is for policy findings; drift is written as json,"
                    + " markdown, table or html");
        }
        try (SandboxMode sb = scope.sandbox ? SandboxMode.start(common) : null) {
            return run(fmt, sb);
        }
    }

    private Integer run(ReportFormat fmt, SandboxMode sb) throws Exception {
        // drift compares attributes only; the HTML page also carries codify's import blocks, some of whose ids are in raw
        // the HTML page needs the observed snapshot itself (codify's import blocks); other formats only the report,
        // so the observed side of a file is compared while it streams in
        Compared c = fmt == ReportFormat.HTML ? compare(sb, SnapshotReader.Raw.KEEP)
                : compare(sb, SnapshotReader.Raw.SKIP, true);
        DriftReport report = c.report();
        if (fmt == ReportFormat.HTML) {
            var page = io.cloudwarden.engine.report.HtmlReport.of(report).add(io.cloudwarden.engine.report.HtmlReport
                    .codify(CodifyCommand.codify(report, c.observed(), source.baselines, c.registry())));
            Output.write(out, spec.commandLine().getOut(), page::write);
            warnUnread(spec.commandLine().getErr(), report);
            return report.hasDrift() ? ExitCodes.FINDINGS
                    : c.observedPartial() || report.partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
        Terminal term = Terminal.current();
        boolean color = term.color(common) && (out == null || Output.isStdout(out));
        Output.write(out, spec.commandLine().getOut(), w -> DriftReportWriter.write(report, fmt, w, color,
                term.width()));
        if (!common.quiet) {
            warnUnread(spec.commandLine().getErr(), report);
        }
        if (report.hasDrift()) {
            return ExitCodes.FINDINGS;
        }
        return c.observedPartial() || report.partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    /**
     * A baseline comparison: the report (actors annotated), the observed snapshot (null when it was compared while
     * streaming from its file and not kept), whether it was partial, and the registry used.
     */
    record Compared(DriftReport report, Snapshot observed, boolean observedPartial, ProviderRegistry registry) {
    }

    /**
     * Loads the baselines, reads {@code --snapshot} (with {@code raw} as asked) or scans the clouds the baselines
     * name, and compares; shared with {@code codify}.
     */
    Compared compare(SandboxMode sb, SnapshotReader.Raw raw) throws Exception {
        return compare(sb, raw, false);
    }

    /**
     * As {@link #compare(SandboxMode, SnapshotReader.Raw)}; with {@code stream}, a {@code --snapshot} file is
     * compared resource by resource as it is read ({@link DriftEngine#streamAgainstBaseline}) and not kept
     * ({@link Compared#observed()} is null). A snapshot with scan errors is then read a second time and compared
     * whole, as the engine asks (its unread scopes are known only at its end).
     */
    Compared compare(SandboxMode sb, SnapshotReader.Raw raw, boolean stream) throws Exception {
        if (source.baselines.isEmpty()) {
            if (sb == null) {
                throw new InputException("--baseline: required (a terraform.tfstate or an approved snapshot), unless"
                        + " --sandbox is given");
            }
            source.baselines.addAll(sb.terraformStates());
        }
        if (sb != null && source.ignore == null) {
            source.ignore = sb.ignoreFile(); // the sandbox's own, not ./.cloudwardenignore of wherever it runs
        }
        IgnoreRules rules = source.ignore != null ? IgnoreRules.parse(source.ignore)
                : Files.isRegularFile(Path.of(".cloudwardenignore")) ? IgnoreRules.parse(Path.of(".cloudwardenignore"))
                : IgnoreRules.none();
        ProviderRegistry registry = ProviderRegistry.discover();
        BaselineLoader loader = new BaselineLoader(registry.baselineMappers());
        List<Resource> expected = new ArrayList<>();
        List<io.cloudwarden.model.NotCompared> notCompared = new ArrayList<>();
        for (Path b : source.baselines) {
            BaselineResult r = loader.load(b);
            expected.addAll(r.resources());
            notCompared.addAll(r.notCompared());
        }
        Snapshot observed = null;
        DriftReport compared = null;
        boolean observedPartial;
        if (source.snapshot != null && stream && !StateSnapshots.isState(source.snapshot)) {
            DriftEngine.Streamed streamed = new DriftEngine().streamAgainstBaseline(expected, rules, notCompared);
            SnapshotReader.Header h = SnapshotReader.stream(source.snapshot, raw, streamed);
            observedPartial = h.partial();
            compared = streamed.finish(h.errors()).orElse(null);
            if (compared == null) {
                observed = SnapshotReader.read(source.snapshot, raw);
            }
        } else if (source.snapshot != null) {
            observed = StateSnapshots.read(common, source.snapshot, raw);
            observedPartial = observed.partial();
        } else {
            if (scope.clouds.isEmpty()) {
                Set<String> named = new TreeSet<>();
                expected.forEach(r -> named.add(r.cloud().id()));
                scope.clouds.addAll(named);
            }
            if (scope.clouds.isEmpty()) {
                throw new InputException("--baseline: the baseline declares no resource of a known type, so there"
                        + " is nothing to scan; pass --cloud or --snapshot");
            }
            try (Cloudwarden cw = sb != null ? sb.open(scope.overrides()) : Runtime.open(common, scope.overrides())) {
                observed = ScanCommand.scan(cw, scope, Output.Progress.forTerminal(common)).snapshot();
            }
            observedPartial = observed.partial();
        }
        // Compare only the clouds the observed side covers, so a single-cloud scan does not report the other
        // clouds' declared resources as missing.
        Set<Cloud> observedClouds = new TreeSet<>();
        if (source.snapshot == null) {
            scope.clouds(registry.clouds()).forEach(observedClouds::add);
            expected.removeIf(r -> !observedClouds.contains(r.cloud()));
        }
        if (compared == null) {
            compared = new DriftEngine().compareToBaseline(expected, observed, rules, notCompared);
        }
        // Actors come from cloud events handled earlier ('event', 'serve', the event functions), kept in the state.
        var cfg = sb != null ? sb.config(scope.overrides()) : Runtime.config(common, scope.overrides());
        DriftReport report = new io.cloudwarden.engine.state.ActorIndex(new io.cloudwarden.engine.state.StateRepository(
                io.cloudwarden.functions.StateStores.open(cfg.stateLocation(), registry, cfg))).annotate(compared);
        return new Compared(report, observed, observedPartial, registry);
    }

    /** One warning line on stderr per report that left scopes unread (the report itself lists them). */
    static void warnUnread(java.io.PrintWriter err, DriftReport report) {
        if (report.partial()) {
            err.println("cloudwarden: warning: " + report.unread().size() + " scope(s) not read ("
                    + String.join(", ", report.unread().stream().map(io.cloudwarden.model.ScanError::scope).toList())
                    + "); " + report.notCompared().stream().filter(n -> n.source().equals(DriftEngine.SCAN_ERRORS_SOURCE)
                    || n.source().equals(DriftEngine.PREVIOUS_ERRORS_SOURCE)).count()
                    + " resource(s) in them not compared");
            err.flush();
        }
    }
}
