package io.cloudwarden.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.state.FindingHistory;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cloudwarden history}: each finding's timeline across scans and events (first seen, last seen, resolved at,
 * the scans and events it was seen in), from {@code findings/history.json} and the pending event observations
 * ({@link FindingHistory}). Reads only; opens no provider. The JSON schema is in docs/MODEL.md ("Finding history").
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Show the findings' timeline across scans: first seen, last seen, resolved at.",
                "Filter by rule (--rule) and/or resource id (--resource). A finding whose scope a scan could not"
                        + " read stays open with its last-seen time: what was not read is never reported as"
                        + " resolved. Exit 0."})
final class HistoryCommand implements Callable<Integer> {
    static final String SCHEMA = "cloudwarden/history/v1";

    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rule", paramLabel = "RULE", description = "Only the findings of this rule id.")
    String rule;

    @Option(names = "--resource", paramLabel = "ID",
            description = "Only the findings on this resource id (an ARN, an Azure resource id, a GCP resource name).")
    String resource;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a timeline per finding) or json (schema " + SCHEMA + ", docs/MODEL.md).")
    String format;

    @Option(names = "--sandbox", description = "Read the sandbox's state (<state-dir>/sandbox).")
    boolean sandbox;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new InputException("--format: expected text or json but was '" + format + "'");
        }
        CoreConfig cfg = sandbox ? SandboxMode.stateOnly(common) : Runtime.config(common, Map.of());
        var store = StateStores.open(cfg.stateLocation(), ProviderRegistry.discover(), cfg);
        List<FindingHistory.Entry> entries = new FindingHistory(store).entries(filter());
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectNode doc = ModelJson.mapper().createObjectNode().put("schema", SCHEMA);
            doc.put("rule", rule);
            doc.put("resource", resource);
            doc.set("findings", ModelJson.mapper().valueToTree(entries));
            out.print(ModelJson.prettyString(doc));
        } else if (entries.isEmpty()) {
            out.println("no finding history" + (rule == null ? "" : " for rule " + rule)
                    + (resource == null ? "" : " on " + resource) + " in " + store.describe()
                    + " (scans and events record it)");
        } else {
            entries.forEach(e -> timeline(out, e));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Predicate<FindingHistory.Entry> filter() {
        return e -> (rule == null || rule.equals(e.ruleId())) && (resource == null || sameId(e, resource));
    }

    /** Resource ids compare as the model matches them: Azure's case-insensitively, the others exactly. */
    private static boolean sameId(FindingHistory.Entry e, String id) {
        return e.resource().cloud() == Cloud.AZURE ? e.resource().id().equalsIgnoreCase(id)
                : e.resource().id().equals(id);
    }

    private record Line(Instant at, int order, String what, String source) {
    }

    /** One finding: a header, its dates, then its transitions and sightings oldest first. */
    static void timeline(PrintWriter out, FindingHistory.Entry e) {
        out.printf("%s %s (%s) on %s %s %s%n", e.findingId(), e.ruleId(),
                e.severity() == null ? "?" : e.severity().name().toLowerCase(Locale.ROOT), e.resource().cloud().id(),
                e.resource().type(), e.resource().id());
        out.printf("  first seen %s, last seen %s, %s; seen %d time%s%n", e.firstSeen(), e.lastSeen(),
                e.open() ? "open" : "resolved " + e.resolvedAt(), e.timesSeen(), e.timesSeen() == 1 ? "" : "s");
        List<Line> lines = new ArrayList<>();
        e.transitions().forEach(t -> lines.add(new Line(t.at(), 0, t.change().name().toLowerCase(Locale.ROOT),
                t.source())));
        e.seenIn().stream().filter(s -> e.transitions().stream().noneMatch(t -> t.at().equals(s.at())))
                .forEach(s -> lines.add(new Line(s.at(), 1, "seen", s.source())));
        lines.sort(Comparator.comparing(Line::at).thenComparing(Line::order));
        lines.forEach(l -> out.printf("  %-30s %-9s %s%n", l.at(), l.what(), l.source()));
        if (e.timesSeen() > e.seenIn().size()) {
            out.printf("  (%d earlier sightings not kept: the history keeps the newest %d)%n",
                    e.timesSeen() - e.seenIn().size(), FindingHistory.KEEP_SIGHTINGS);
        }
    }
}
