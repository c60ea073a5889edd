package io.cloudwarden.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ScanError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Renders a {@link DriftReport} as JSON (the model's own {@code cloudwarden/drift/v1} document), Markdown, a
 * terminal table or an HTML page ({@link HtmlReport}). Attribute changes read as {@code path: before → after}, with the actor when an event named one.
 * SARIF and OCSF describe rule findings, not drift, and are refused. Every format says which scopes were not read
 * (the report's {@code unread}): JSON carries them, Markdown opens with a warning and lists them, the table ends with
 * one {@code unread:} line per scope.
 */
public final class DriftReportWriter {
    /** Drift entries in a stable order: kind (enum order: unmanaged, missing, changed), then resource key. */
    public static final Comparator<ResourceDrift> ORDER = Comparator
            .comparing(ResourceDrift::kind)
            .thenComparing(d -> d.resource().matchKey());

    static final int MAX_VALUE = 120;

    private DriftReportWriter() {
    }

    public static void write(DriftReport report, ReportFormat format, Writer out) throws IOException {
        write(report, format, out, false);
    }

    /** {@code color} adds ANSI colour to the TABLE kind column only. */
    public static void write(DriftReport report, ReportFormat format, Writer out, boolean color) throws IOException {
        switch (format) {
            case JSON -> FindingsReportWriter.pretty(ModelJson.mapper().valueToTree(report), out);
            case MARKDOWN -> out.write(markdown(report));
            case TABLE -> out.write(table(report, color));
            case HTML -> HtmlReport.of(report).write(out);
            case SARIF, OCSF, OCSF_NDJSON -> throw new IllegalArgumentException("format: " + format.id()
                    + " is for policy findings; drift reports can be written as json, markdown, table or html");
            default -> throw new IllegalArgumentException("format: unsupported " + format);
        }
        out.flush();
    }

    /** One readable line per patch operation: {@code /encryption/enabled: true → false}. */
    public static String describe(AttributeChange c) {
        String path = c.path().isEmpty() ? "/" : c.path();
        return switch (c.op()) {
            case "add" -> path + ": (absent) → " + value(c.value());
            case "remove" -> path + ": " + value(c.from()) + " → (removed)";
            case "replace" -> path + ": " + value(c.from()) + " → " + value(c.value());
            default -> path + ": " + c.op() + " " + value(c.value());
        };
    }

    private static String value(JsonNode v) {
        String s;
        try {
            s = v == null ? "null" : ModelJson.mapper().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return Text.cutEnd(Text.oneLine(s), MAX_VALUE);
    }

    private static String actor(ResourceDrift d) {
        if (!d.actor().known()) {
            return "";
        }
        String via = d.actor().via().isEmpty() ? "" : " via " + d.actor().via();
        return d.actor().label() + " (" + d.actor().kind() + via + ")";
    }

    static String markdown(DriftReport r) {
        List<ResourceDrift> sorted = r.drift().stream().sorted(ORDER).toList();
        StringBuilder b = new StringBuilder("# Cloudwarden drift\n\n");
        b.append("Compared ").append(r.comparedAt()).append(" against the ")
                .append("baseline".equals(r.mode()) ? "baseline" : "previous snapshot").append(".\n\n");
        if (r.partial()) {
            b.append("> **Partial:** ").append(r.unread().size()).append(r.unread().size() == 1 ? " scope was" :
                    " scopes were").append(" not read. Resources in ").append(r.unread().size() == 1 ? "it" : "them")
                    .append(" are not compared (never reported ")
                    .append("baseline".equals(r.mode()) ? "missing" : "removed").append("); see *Unread scopes*.\n\n");
        }
        b.append("| | Resources |\n|---|---:|\n");
        b.append("| managed | ").append(r.managed()).append(" |\n");
        b.append("| unchanged | ").append(r.unchanged()).append(" |\n");
        for (ResourceDrift.Kind k : ResourceDrift.Kind.values()) {
            b.append("| ").append(label(k, r.mode())).append(" | ").append(r.ofKind(k).size()).append(" |\n");
        }
        b.append("| not compared | ").append(r.notCompared().size()).append(" |\n");
        b.append("| ignored | ").append(r.ignored()).append(" |\n");
        if (sorted.isEmpty()) {
            b.append("\nNo drift.\n");
        }
        for (ResourceDrift.Kind k : ResourceDrift.Kind.values()) {
            List<ResourceDrift> group = sorted.stream().filter(d -> d.kind() == k).toList();
            if (group.isEmpty()) {
                continue;
            }
            String h = label(k, r.mode());
            b.append("\n## ").append(Character.toUpperCase(h.charAt(0)) + h.substring(1)).append(" (").append(group.size()).append(")\n");
            for (ResourceDrift d : group) {
                b.append("\n### `").append(Text.md(d.resource().id())).append("`\n\n");
                b.append(d.resource().cloud().id()).append(" · ").append(d.resource().type());
                if (!d.resource().region().isEmpty()) {
                    b.append(" · ").append(d.resource().region());
                }
                String who = actor(d);
                if (!who.isEmpty()) {
                    b.append(" · changed by ").append(Text.md(who));
                }
                b.append("\n");
                if (!d.patch().isEmpty()) {
                    b.append("\n```\n");
                    d.patch().forEach(c -> b.append(describe(c).replace("```", "'''")).append('\n'));
                    b.append("```\n");
                }
            }
        }
        if (!r.notCompared().isEmpty()) {
            b.append("\n## Not compared (").append(r.notCompared().size()).append(")\n\n");
            b.append("| Source | Address | Reason |\n|---|---|---|\n");
            for (NotCompared n : r.notCompared()) {
                b.append("| ").append(Text.md(n.source())).append(" | `").append(Text.md(n.address()))
                        .append("` | ").append(Text.md(n.reason())).append(" |\n");
            }
        }
        if (r.partial()) {
            b.append("\n## Unread scopes (").append(r.unread().size()).append(")\n\n");
            b.append("| Scope | Code | Message |\n|---|---|---|\n");
            for (ScanError e : r.unread()) {
                b.append("| `").append(Text.md(e.scope())).append("` | ").append(Text.md(e.code())).append(" | ")
                        .append(Text.md(Text.cutEnd(Text.oneLine(e.message()), MAX_VALUE))).append(" |\n");
            }
        }
        return b.toString();
    }

    /**
     * The kind as a reader expects it: against a baseline, unmanaged / missing / changed; between two snapshots,
     * added / removed / modified (the JSON keeps the model's kind ids plus {@code mode}).
     */
    static String label(ResourceDrift.Kind k, String mode) {
        if ("baseline".equals(mode)) {
            return k.id();
        }
        return switch (k) {
            case UNMANAGED -> "added";
            case MISSING -> "removed";
            case CHANGED -> "modified";
        };
    }


    static final int[] TABLE_CAPS = {9, 5, 16, 60, 90, 40};

    static String table(DriftReport r, boolean color) {
        Text.Table t = new Text.Table(List.of("KIND", "CLOUD", "TYPE", "RESOURCE", "CHANGE", "ACTOR"), TABLE_CAPS,
                new boolean[] {false, false, false, true, false, false});
        for (ResourceDrift d : r.drift().stream().sorted(ORDER).toList()) {
            UnaryOperator<String> style = color ? ansi(d.kind()) : UnaryOperator.identity();
            String who = actor(d);
            if (d.patch().isEmpty()) {
                t.add(style, label(d.kind(), r.mode()), d.resource().cloud().id(), d.resource().type(), d.resource().id(),
                        "", who);
            } else {
                boolean first = true;
                for (AttributeChange c : d.patch()) {
                    // continuation rows of the same resource leave the identifying columns blank
                    t.add(first ? style : UnaryOperator.identity(), first ? label(d.kind(), r.mode()) : "",
                            first ? d.resource().cloud().id() : "", first ? d.resource().type() : "",
                            first ? d.resource().id() : "", describe(c), first ? who : "");
                    first = false;
                }
            }
        }
        StringBuilder b = new StringBuilder();
        if (!r.drift().isEmpty()) {
            b.append(t.render()).append('\n');
        }
        b.append(r.ofKind(ResourceDrift.Kind.CHANGED).size()).append(' ')
                .append(label(ResourceDrift.Kind.CHANGED, r.mode())).append(", ")
                .append(r.ofKind(ResourceDrift.Kind.UNMANAGED).size()).append(' ')
                .append(label(ResourceDrift.Kind.UNMANAGED, r.mode())).append(", ")
                .append(r.ofKind(ResourceDrift.Kind.MISSING).size()).append(' ')
                .append(label(ResourceDrift.Kind.MISSING, r.mode())).append("; ")
                .append(r.managed()).append(" managed, ").append(r.unchanged()).append(" unchanged");
        if (!r.notCompared().isEmpty()) {
            b.append(", ").append(r.notCompared().size()).append(" not compared");
        }
        if (r.ignored() > 0) {
            b.append(", ").append(r.ignored()).append(" ignored");
        }
        b.append('\n');
        for (ScanError e : r.unread()) {
            b.append("unread: ").append(e.scope()).append(e.code().isEmpty() ? "" : " (" + e.code() + ")")
                    .append(" — not compared\n");
        }
        return b.toString();
    }

    private static UnaryOperator<String> ansi(ResourceDrift.Kind k) {
        String code = switch (k) {
            case CHANGED -> "\u001b[33m";
            case UNMANAGED -> "\u001b[36m";
            case MISSING -> "\u001b[31m";
        };
        return cell -> code + cell + "\u001b[0m";
    }
}
