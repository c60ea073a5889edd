package io.cloudwarden.local;

import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "remediate", mixinStandardHelpOptions = true,
        description = {"Plan fixes for the findings of the latest scan (dry run), or apply them with --apply.",
                "Every plan goes through the guardrails (exemption tag, blast-radius breaker), is applied at most"
                        + " once, verified by re-reading the resource, and recorded in the audit trail. Running this"
                        + " command with --apply is the operator's approval; chat approvals follow the two-person"
                        + " rule instead. Finding ids are in the ID column of 'check' and 'scan --sandbox' tables."})
final class RemediateCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Mixin
    CloudScope scope = new CloudScope();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--finding", paramLabel = "ID",
            description = "Only these findings (repeatable): the ID column of 'check', or 'id' in its JSON.")
    List<String> findings = new ArrayList<>();

    @Option(names = "--apply", description = "Apply the plans (default: dry run, nothing changes).")
    boolean apply;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    String format;

    private String waveReport = "";

    @Override
    public Integer call() {
        if (!Set.of("table", "json").contains(format)) {
            throw new InputException("--format: expected table or json but was '" + format + "'");
        }
        Map<String, String> overrides = new java.util.HashMap<>(scope.overrides());
        overrides.put("cloudwarden.apply", Boolean.toString(apply));
        try (SandboxMode sb = scope.sandbox ? SandboxMode.start(common) : null;
                Cloudwarden cw = sb != null ? sb.open(overrides) : Runtime.open(common, overrides)) {
            List<Finding> latest = cw.repository().latestFindings().map(d -> d.findings()).orElseThrow(() ->
                    new InputException("no findings in " + cw.store().describe() + ": run 'cloudwarden scan"
                            + (scope.sandbox ? " --sandbox" : "") + "' first"));
            List<Resource> resources = cw.repository().latestSnapshot().map(s -> s.resources()).orElse(List.of());
            List<Finding> selected = new ArrayList<>();
            for (String id : findings) {
                selected.add(latest.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() ->
                        new InputException("--finding: no finding with id " + id + " in the latest scan")));
            }
            if (findings.isEmpty()) {
                selected.addAll(latest);
            }
            String trigger = "cli:remediate:" + cw.clock().instant();
            List<PlanOutcome> outcomes = cw.planner().plan(selected, resources, trigger, LocalActor.current());
            // an action planned for several resources is rolled out in verified waves (docs/ROLLOUT.md)
            RolloutRun run = RolloutRun.of(cw, outcomes, resources, trigger, apply,
                    Output.Progress.forTerminal(common));
            this.waveReport = run.report();
            List<RemediationResult> results = run.results();
            print(spec.commandLine().getOut(), outcomes, results);
            boolean failed = results.stream().anyMatch(r -> Set.of("failed", "verify-failed", "not-applied")
                    .contains(r.status()));
            return failed ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    private void print(PrintWriter o, List<PlanOutcome> outcomes, List<RemediationResult> results) {
        if ("json".equals(format)) {
            var root = ModelJson.mapper().createObjectNode();
            root.set("plans", ModelJson.mapper().valueToTree(outcomes));
            root.set("results", ModelJson.mapper().valueToTree(results));
            root.put("dryRun", !apply);
            root.put("waves", waveReport);
            o.println(root.toPrettyString());
            o.flush();
            return;
        }
        o.println(apply ? "Remediation (applied):" : "Remediation plan (dry run — nothing was changed; add --apply):");
        int n = 0;
        for (PlanOutcome out : outcomes) {
            if (out.plan().isEmpty()) {
                continue;
            }
            RemediationPlan p = out.plan().get();
            RemediationResult r = results.get(n++);
            o.printf("  [%s] %s on %s%n", r.status(), p.action(), p.resource().id());
            o.printf("      %s (risk %s)%n", p.summary(), p.risk().id());
            p.before().fields().forEachRemaining(e -> o.printf("      %s: %s -> %s%n", e.getKey(), e.getValue(),
                    p.after().get(e.getKey())));
        }
        if (n == 0) {
            o.println("  nothing to remediate");
        }
        o.print(waveReport);
        long skipped = outcomes.stream().filter(x -> x.plan().isEmpty()).count();
        if (skipped > 0) {
            o.println("Not planned:");
            outcomes.stream().filter(x -> x.plan().isEmpty()).forEach(x -> o.printf("  %s on %s: %s%n",
                    x.action(), x.resource().id(), x.skipped()));
        }
        o.flush();
    }
}
