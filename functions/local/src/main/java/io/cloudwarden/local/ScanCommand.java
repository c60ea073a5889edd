package io.cloudwarden.local;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ScanError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Enumerate resources into a snapshot, evaluate the rules and save both in the state directory.",
                "Remediation is only planned (see 'remediate'). Exit 3 when some scopes could not be read (they are"
                        + " listed; the rest of the snapshot is complete)."})
final class ScanCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Mixin
    CloudScope scope = new CloudScope();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the snapshot JSON to FILE; '-' writes it to stdout (the summary then goes to"
                    + " stderr).")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (SandboxMode sb = scope.sandbox ? SandboxMode.start(common) : null;
                Cloudwarden cw = sb != null ? sb.open(scope.overrides()) : Runtime.open(common, scope.overrides())) {
            if (sb != null && scope.clouds.isEmpty()) {
                sb.clouds().forEach(c -> scope.clouds.add(c.id()));
            }
            ScanOutcome outcome = scan(cw, scope, Output.Progress.forTerminal(common));
            if (out != null) {
                Output.write(out, spec.commandLine().getOut(), w -> ModelJson.pretty().writeValue(w,
                        outcome.snapshot()));
            }
            // with --out - stdout carries the snapshot JSON alone, so it can be piped
            PrintWriter o = Output.isStdout(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
            printSummary(o, outcome, cw);
            return outcome.snapshot().partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    static ScanOutcome scan(Cloudwarden cw, CloudScope scope, io.cloudwarden.engine.scan.ScanListener progress) {
        // The CLI's scan only plans: the plans are shown, and 'remediate' turns them into changes.
        Detector detector = new Detector(cw, request -> { });
        return detector.scan(scope.clouds(cw.registry().clouds()), scope.types(), "cli:scan:"
                + cw.clock().instant(), LocalActor.current(), progress);
    }

    static void printSummary(PrintWriter o, ScanOutcome outcome, Cloudwarden cw) {
        var s = outcome.snapshot();
        Map<String, Long> byType = new java.util.TreeMap<>();
        s.resources().forEach(r -> byType.merge(r.cloud() + " " + r.type(), 1L, Long::sum));
        o.println("Scanned " + s.resources().size() + " resources at " + s.takenAt() + " (state: "
                + cw.store().describe() + ")");
        byType.forEach((k, v) -> o.printf("  %-28s %d%n", k, v));
        for (ScanError e : s.errors()) {
            o.println("  unread: " + e.cloud() + " " + e.account() + " " + e.region() + " " + e.type() + " — "
                    + e.code() + ": " + e.message());
        }
        o.println("Findings: " + outcome.evaluation().findings().size());
        outcome.sincePrevious().ifPresent(d -> o.println("Changes since the previous snapshot: "
                + d.drift().size()));
        outcome.guardrailTripped().ifPresent(m -> o.println("Remediation stopped by a guardrail: " + m));
        o.flush();
    }
}
