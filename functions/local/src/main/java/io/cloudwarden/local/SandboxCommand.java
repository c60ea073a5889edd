package io.cloudwarden.local;

import io.cloudwarden.engine.drift.BaselineLoader;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.policy.PolicyLoader;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.report.DriftReportWriter;
import io.cloudwarden.engine.report.FindingsReport;
import io.cloudwarden.engine.report.FindingsReportWriter;
import io.cloudwarden.engine.report.ReportFormat;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.state.ActorIndex;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.EventHandler;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.local.sandbox.SandboxServer;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.Snapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole job on the sandbox estate in one command, through the real SDK clients against recorded responses:
 * reset the sandbox state, handle the recorded cloud events (they name who changed what), scan the three clouds,
 * compare with the Terraform states, check the built-in rules, plan remediation — and with {@code --apply} apply it,
 * rescan and show what the fix changed. One report; exit 0 when the cycle ran, whatever it found.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Run the whole cycle on the built-in sandbox estate, offline: the main job, in one report.",
                "The sandbox is a small AWS/Azure/GCP estate recorded in each cloud's wire format and served on"
                        + " 127.0.0.1 to the real SDK clients, with Terraform states and planted drift. This resets"
                        + " <state-dir>/sandbox, handles the recorded cloud events, scans, finds drift against the"
                        + " Terraform states, checks the built-in rules and plans remediation (--apply applies it,"
                        + " rescans and shows the fix). No credentials needed; nothing leaves this machine.",
                "Exit 0 when the cycle ran (the report is the output); 2, 3 or 4 on errors."})
final class SandboxCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--apply", description = "Apply the planned fixes to the sandbox estate, then rescan.")
    boolean apply;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, markdown, json or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = ReportFormat.parse(format);
        if (fmt != ReportFormat.TABLE && fmt != ReportFormat.MARKDOWN && fmt != ReportFormat.JSON
                && fmt != ReportFormat.HTML) {
            throw new InputException("--format: expected table, markdown, json or html but was '" + format + "'");
        }
        boolean md = fmt == ReportFormat.MARKDOWN;
        // json and html are one document written at the end: the running narrative goes nowhere
        boolean document = fmt == ReportFormat.JSON || fmt == ReportFormat.HTML;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter out = document ? new PrintWriter(java.io.Writer.nullWriter()) : stdout;
        ReportFormat sectionFormat = document ? ReportFormat.TABLE : fmt;
        Path dir = SandboxMode.directory(common);
        SandboxMode.reset(dir);
        Terminal term = Terminal.current();
        boolean color = term.color(common);
        int width = term.width();
        Output.Progress progress = Output.Progress.forTerminal(common);
        try (SandboxMode sb = SandboxMode.start(common);
                Cloudwarden cw = sb.open(Map.of("cloudwarden.apply", Boolean.toString(apply)))) {
            List<Cloud> clouds = sb.clouds();
            heading(out, md, "Cloudwarden sandbox", 1);
            out.println("A recorded " + clouds.size() + "-cloud estate (" + String.join(", ", clouds.stream()
                    .map(Cloud::id).toList()) + ") served on 127.0.0.1 to the real SDK clients; no credentials,"
                    + " nothing leaves this machine.");
            out.println("State: " + dir + (apply ? "" : " · dry run (add --apply to fix the estate)"));

            List<EventOutcome> events = handleEvents(cw, out, md);
            ScanOutcome scan = new Detector(cw, request -> { }).scan(clouds, Set.of(), "sandbox:scan",
                    LocalActor.current(), progress);
            scanSummary(out, md, scan.snapshot());

            IgnoreRules ignore = IgnoreRules.parse(sb.ignoreFile());
            DriftReport drift = drift(cw, sb.terraformStates(), ignore, scan.snapshot(), clouds);
            heading(out, md, "Drift against Terraform state (" + String.join(", ", sb.terraformStates().stream()
                    .map(p -> p.getFileName().toString()).toList()) + ")", 2);
            write(out, md, w -> DriftReportWriter.write(drift, sectionFormat, w, color, width));

            heading(out, md, "Policy findings by severity (built-in rules)", 2);
            List<Finding> findings = scan.evaluation().findings();
            FindingsReport report = FindingsReport.of(scan.snapshot(), scan.evaluation(), PolicyLoader.builtIn(),
                    cw.clock().instant());
            write(out, md, w -> FindingsReportWriter.write(report, sectionFormat, w, color, width));

            heading(out, md, apply ? "Remediation (applied)" : "Remediation plan (dry run: nothing was changed)", 2);
            List<PlanOutcome> outcomes;
            try {
                outcomes = cw.planner().plan(findings, scan.snapshot().resources(), "sandbox:remediate",
                        LocalActor.current());
            } catch (GuardrailTrippedException e) {
                out.println("Stopped by a guardrail, nothing planned: " + e.getMessage());
                out.flush();
                if (document) {
                    SandboxDocument.write(fmt, stdout, new SandboxDocument(dir, apply, clouds, events, scan.snapshot(),
                            drift, report, List.of(), List.of(), List.of(), e.getMessage(), Optional.empty(),
                            Optional.empty(),
                            Optional.of(CodifyCommand.codify(drift, scan.snapshot(), sb.terraformStates(),
                                    cw.registry()))));
                }
                return ExitCodes.OK;
            }
            // as 'remediate --apply': an action planned for several resources is rolled out in verified waves
            RolloutRun run = apply ? RolloutRun.of(cw, outcomes, scan.snapshot().resources(), "sandbox:remediate",
                    true, progress) : null;
            List<RemediationResult> results = apply ? run.results() : List.of();
            plans(out, md, outcomes, results);
            String waves = apply ? run.report() : RolloutRun.preview(cw, outcomes, scan.snapshot().resources());
            if (!waves.isEmpty()) {
                heading(out, md, apply ? "Rollouts in verified waves" : "Rollouts in verified waves (dry run)", 2);
                waves.lines().forEach(l -> out.println(md ? (l.startsWith("  ") ? "  - " + l.strip() : "- " + l)
                        : "  " + l));
            }

            Optional<List<Finding>> findingsAfter = Optional.empty();
            Optional<DriftReport> driftAfterFix = Optional.empty();
            if (apply) {
                ScanOutcome rescan = new Detector(cw, request -> { }).scan(clouds, Set.of(), "sandbox:rescan",
                        LocalActor.current(), progress.verb("rescanning"));
                heading(out, md, "After the fix (rescan)", 2);
                after(out, md, findings, rescan.evaluation().findings());
                DriftReport driftAfter = drift(cw, sb.terraformStates(), ignore, rescan.snapshot(), clouds);
                driftDelta(out, md, drift, driftAfter);
                findingsAfter = Optional.of(rescan.evaluation().findings());
                driftAfterFix = Optional.of(driftAfter);
            } else {
                out.println();
                out.println("Next: 'cloudwarden sandbox --apply' fixes the estate and rescans; 'cloudwarden scan"
                        + " --sandbox', 'check --sandbox', 'drift --sandbox' and 'remediate --sandbox' work on the"
                        + " same estate step by step.");
            }
            out.flush();
            if (document) {
                SandboxDocument.write(fmt, stdout, new SandboxDocument(dir, apply, clouds, events, scan.snapshot(),
                        drift, report, outcomes, results, apply ? run.rollouts() : List.of(), "", findingsAfter,
                        driftAfterFix,
                        Optional.of(CodifyCommand.codify(drift, scan.snapshot(), sb.terraformStates(),
                                cw.registry()))));
            }
            return scan.snapshot().partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    private interface Body {
        void write(java.io.Writer w) throws java.io.IOException;
    }

    /**
     * Writes one section with the engine's own report writers. In markdown their document title is dropped and their
     * headings are demoted one level, so the sections nest under this report's headings.
     */
    private static void write(PrintWriter out, boolean md, Body body) throws java.io.IOException {
        java.io.StringWriter section = new java.io.StringWriter();
        body.write(section);
        String text = section.toString();
        if (md) {
            StringBuilder b = new StringBuilder();
            boolean titleDropped = false;
            for (String line : text.split("\n", -1)) {
                if (!titleDropped && line.startsWith("# ")) {
                    titleDropped = true;
                    continue;
                }
                b.append(line.startsWith("#") ? "#" + line : line).append('\n');
            }
            text = b.toString().strip() + "\n";
        }
        out.print(text);
        out.flush();
    }

    private static void heading(PrintWriter out, boolean md, String text, int level) {
        out.println();
        if (md) {
            out.println("#".repeat(level) + " " + text);
            out.println();
        } else {
            out.println(level == 1 ? text.toUpperCase(java.util.Locale.ROOT) : "== " + text + " ==");
        }
    }

    /** Replays the recorded events as the event function would; their actors end up in the actor index. */
    private static List<EventOutcome> handleEvents(Cloudwarden cw, PrintWriter out, boolean md) {
        List<SandboxServer.RecordedEvent> recorded = SandboxServer.events();
        heading(out, md, "Cloud events handled (" + recorded.size() + ")", 2);
        EventHandler handler = new EventHandler(cw, request -> { });
        List<EventOutcome> outcomes = new ArrayList<>();
        for (SandboxServer.RecordedEvent e : recorded) {
            EventOutcome o = handler.handle(e.cloud(), e.envelope());
            outcomes.add(o);
            for (ResourceEvent re : o.events()) {
                out.println((md ? "- " : "  ") + re.time() + "  " + re.actor().label() + " (" + re.actor().kind()
                        + ")  " + re.action() + "  " + (md ? "`" + re.id() + "`" : re.id()));
            }
        }
        return outcomes;
    }

    private static void scanSummary(PrintWriter out, boolean md, Snapshot s) {
        Map<String, Long> byType = new TreeMap<>();
        s.resources().forEach(r -> byType.merge(r.cloud().id() + " " + r.type(), 1L, Long::sum));
        heading(out, md, "Scan: " + s.resources().size() + " resources", 2);
        if (md) {
            out.println("| cloud · type | resources |");
            out.println("|---|---:|");
            byType.forEach((k, v) -> out.println("| " + k + " | " + v + " |"));
        } else {
            byType.forEach((k, v) -> out.printf("  %-28s %d%n", k, v));
        }
        s.errors().forEach(e -> out.println("  unread: " + e.cloud() + " " + e.account() + " " + e.region() + " "
                + e.type() + " — " + e.code() + ": " + e.message()));
    }

    static DriftReport drift(Cloudwarden cw, List<Path> states, IgnoreRules ignore, Snapshot observed,
            List<Cloud> clouds) {
        BaselineResult baseline = new BaselineLoader(cw.registry().baselineMappers())
                .load(states.toArray(Path[]::new));
        List<Resource> expected = baseline.resources().stream().filter(r -> clouds.contains(r.cloud())).toList();
        DriftReport compared = new DriftEngine(cw.clock()).compareToBaseline(expected, observed, ignore,
                baseline.notCompared());
        return new ActorIndex(cw.repository()).annotate(compared);
    }

    private static void plans(PrintWriter out, boolean md, List<PlanOutcome> outcomes,
            List<RemediationResult> results) {
        int n = 0;
        String bullet = md ? "- " : "  ";
        String indent = md ? "  - " : "      ";
        for (PlanOutcome o : outcomes) {
            if (o.plan().isEmpty()) {
                continue;
            }
            RemediationPlan p = o.plan().get();
            String status = results.isEmpty() ? "planned" : results.get(n).status();
            n++;
            out.println(bullet + "[" + status + "] " + p.action() + " on " + (md ? "`" + p.resource().id() + "`"
                    : p.resource().id()) + " (" + p.resource().cloud().id() + ", risk " + p.risk().id() + ")");
            out.println(indent + p.summary());
            p.before().fields().forEachRemaining(e -> out.println(indent + e.getKey() + ": " + e.getValue() + " → "
                    + Optional.ofNullable(p.after().get(e.getKey())).map(Object::toString).orElse("(unchanged)")));
            if (!results.isEmpty() && !results.get(n - 1).message().isEmpty()
                    && !"applied-verified".equals(status)) {
                out.println(indent + results.get(n - 1).message());
            }
        }
        if (n == 0) {
            out.println(bullet + "nothing to remediate");
        }
        List<PlanOutcome> skipped = outcomes.stream().filter(x -> x.plan().isEmpty()).toList();
        if (!skipped.isEmpty()) {
            out.println(md ? "\nNot planned:\n" : "Not planned:");
            Set<String> lines = new LinkedHashSet<>();
            skipped.forEach(x -> lines.add(bullet + x.action() + " on " + (md ? "`" + x.resource().id() + "`"
                    : x.resource().id()) + ": " + x.skipped()));
            lines.forEach(out::println);
        }
    }

    /**
     * Drift before and after the fix, by resource. A fix can create drift: Terraform may declare what the rule
     * forbids (the state then needs the same change), which is why this is shown rather than hidden.
     */
    private static void driftDelta(PrintWriter out, boolean md, DriftReport before, DriftReport after) {
        Map<String, String> was = new TreeMap<>();
        before.drift().forEach(d -> was.put(d.resource().id(), d.kind().id()));
        Map<String, String> now = new TreeMap<>();
        after.drift().forEach(d -> now.put(d.resource().id(), d.kind().id()));
        String bullet = md ? "- " : "  ";
        out.println("Drift: " + before.drift().size() + " resources before → " + after.drift().size() + " after.");
        List<String> gone = was.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        if (!gone.isEmpty()) {
            out.println("No longer drifted (the fix restored what Terraform declares):");
            gone.forEach(id -> out.println(bullet + was.get(id) + " " + id));
        }
        List<String> fresh = now.keySet().stream().filter(id -> !was.containsKey(id)).toList();
        if (!fresh.isEmpty()) {
            out.println("Drifted by the fix (Terraform declares what the rules forbid: update the state, or revert):");
            fresh.forEach(id -> out.println(bullet + now.get(id) + " " + id));
        }
    }

    private static void after(PrintWriter out, boolean md, List<Finding> before, List<Finding> after) {
        Set<String> now = new LinkedHashSet<>();
        after.forEach(f -> now.add(f.ruleId() + " " + f.resource().id()));
        List<String> resolved = before.stream().map(f -> f.ruleId() + " " + f.resource().id())
                .filter(k -> !now.contains(k)).distinct().toList();
        out.println("Findings: " + before.size() + " before → " + after.size() + " after; resolved "
                + resolved.size() + ":");
        resolved.forEach(r -> out.println((md ? "- " : "  ") + r));
    }
}
