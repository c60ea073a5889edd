package io.cloudwarden.local;

import io.cloudwarden.engine.policy.PolicyLoader;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.model.ModelJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cloudwarden rules}: the rules a {@code check} would evaluate, with what each maps to. Lists the built-in pack
 * and the rules loaded from {@code --policies} (or {@code cloudwarden.policies} of the configuration); {@code check}
 * evaluates the loaded rules when there are any, else the built-in pack, and the listing says which.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"List the built-in and loaded rules: id, severity, resource types and benchmark mappings.",
                "Loaded rules come from --policies (repeatable) or the cloudwarden.policies setting; 'check' uses"
                        + " them instead of the built-in pack when there are any."})
final class RulesCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--policies", paramLabel = "FILE|DIR", description = "Rules file or directory (repeatable).")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new InputException("--format: expected table or json but was '" + format + "'");
        }
        List<Path> sources = new ArrayList<>(policies);
        if (sources.isEmpty()) {
            Runtime.config(common, java.util.Map.of()).get("cloudwarden.policies").ifPresent(p -> sources.add(
                    Path.of(p)));
        }
        List<Rule> loaded = new ArrayList<>();
        for (Path p : sources) {
            loaded.addAll(PolicyLoader.load(p));
        }
        List<Rule> builtIn = PolicyLoader.builtIn();
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            var root = ModelJson.mapper().createObjectNode();
            root.put("checkUses", loaded.isEmpty() ? "built-in" : "loaded");
            root.set("builtIn", json(builtIn));
            root.set("loaded", json(loaded));
            out.print(ModelJson.prettyString(root));
        } else {
            out.println("Built-in rules (" + builtIn.size() + ")" + (loaded.isEmpty() ? ", used by 'check':"
                    : ", not used by 'check' while rules are loaded:"));
            table(out, builtIn, false);
            if (!loaded.isEmpty()) {
                out.println();
                out.println("Loaded rules (" + loaded.size() + "), used by 'check':");
                table(out, loaded, true);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode json(List<Rule> rules) {
        var array = ModelJson.mapper().createArrayNode();
        for (Rule r : rules) {
            var n = array.addObject();
            n.put("id", r.id());
            n.put("severity", r.severity().id());
            n.set("resourceTypes", ModelJson.mapper().valueToTree(r.resourceTypes()));
            n.set("controls", ModelJson.mapper().valueToTree(r.controls()));
            n.put("title", r.title());
            r.remediation().ifPresent(m -> n.set("remediation", ModelJson.mapper().valueToTree(m)));
            n.put("source", r.source());
        }
        return array;
    }

    /** One line per rule; ids, types and controls are whole (they are what a reader searches for). */
    private static void table(PrintWriter out, List<Rule> rules, boolean withSource) {
        int id = "ID".length();
        int types = "TYPES".length();
        for (Rule r : rules) {
            id = Math.max(id, r.id().length());
            types = Math.max(types, String.join(",", r.resourceTypes()).length());
        }
        String fmt = "%-" + id + "s  %-8s  %-" + types + "s  %s%n";
        out.printf(fmt, "ID", "SEVERITY", "TYPES", withSource ? "CONTROLS (SOURCE)" : "CONTROLS");
        for (Rule r : rules) {
            String controls = r.controls().isEmpty() ? "-" : String.join(", ", r.controls());
            out.print(String.format(fmt, r.id(), r.severity().id(), String.join(",", r.resourceTypes()),
                    controls + (withSource ? " (" + r.source() + ")" : "")).stripTrailing() + System.lineSeparator());
        }
    }
}
