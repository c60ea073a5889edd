package io.cloudwarden.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One self-contained HTML page (styles and the chart inline; no script, font, image or link leaves the file), built
 * from an ordered list of {@link Section}s. {@code check}, {@code drift} and {@code sandbox} each compose the
 * sections they have; a new kind of content (e.g. "Bring under Terraform": import blocks for unmanaged resources) is
 * one more {@code Section} added to that list, with no change here.
 *
 * <p>Sizes: every finding is one table row (its id, rule, resource, message) inside a {@code <details>} per severity
 * × cloud group; groups above {@value #OPEN_LIMIT} rows start collapsed, so a 10,000-finding page opens on the
 * summary and chart and stays a few megabytes (docs/REPORTS.md has the measured size).
 */
public final class HtmlReport {
    /** A group with more rows than this starts collapsed. */
    static final int OPEN_LIMIT = 200;

    /** One part of the page: a stable anchor id, a heading and its body. */
    public interface Section {
        /** The anchor ({@code <section id=...>}), letters, digits and '-'. */
        String id();

        String title();

        /** Writes the body (the heading and the section element are written around it). */
        void render(Html html) throws IOException;
    }

    /** A writer of escaped HTML: {@link #text} escapes, {@link #raw} does not. */
    public static final class Html {
        private final Writer out;

        Html(Writer out) {
            this.out = out;
        }

        public Html raw(String s) throws IOException {
            out.write(s);
            return this;
        }

        public Html text(String s) throws IOException {
            out.write(escape(s));
            return this;
        }

        /** {@code <tag class="cls">escaped text</tag>}. */
        public Html el(String tag, String cls, String text) throws IOException {
            out.write("<" + tag + (cls.isEmpty() ? "" : " class=\"" + cls + "\"") + ">");
            out.write(escape(text));
            out.write("</" + tag + ">");
            return this;
        }
    }

    private final String title;
    private final Instant generatedAt;
    private final List<Section> sections = new ArrayList<>();

    public HtmlReport(String title, Instant generatedAt) {
        this.title = Objects.requireNonNull(title, "title");
        this.generatedAt = Objects.requireNonNull(generatedAt, "generatedAt");
    }

    /** Appends a section; the page shows them in the order added. */
    public HtmlReport add(Section section) {
        sections.add(Objects.requireNonNull(section, "section"));
        return this;
    }

    public List<Section> sections() {
        return List.copyOf(sections);
    }

    /** The page for {@code check}: summary and chart, findings, remediation, unread scopes. */
    public static HtmlReport of(FindingsReport report) {
        return new HtmlReport("Cloudwarden findings", report.generatedAt())
                .add(summary(report)).add(chart(report.findings())).add(findings(report))
                .add(remediation(report)).add(unread(report.scanErrors()));
    }

    /** The page for {@code drift}: drift side by side, what was not compared, unread scopes. */
    public static HtmlReport of(DriftReport report) {
        return new HtmlReport("Cloudwarden drift", report.comparedAt())
                .add(drift(report)).add(unread(report.unread()));
    }

    /** Writes the page; {@code out} is flushed, not closed. */
    public void write(Writer out) throws IOException {
        Html h = new Html(out);
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                // no network: nothing on the page may load from anywhere, the policy says so to the browser too
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
                + " img-src data:\"><title>").text(title).raw("</title><style>").raw(CSS).raw("</style></head>\n<body>");
        h.raw("<header><h1>").text(title).raw("</h1><p class=\"meta\">Generated ").text(generatedAt.toString())
                .raw(" by Cloudwarden ").text(ToolVersion.get()).raw("</p><nav>");
        for (Section s : sections) {
            h.raw("<a href=\"#").text(s.id()).raw("\">").text(s.title()).raw("</a> ");
        }
        h.raw("</nav></header>\n<main>");
        for (Section s : sections) {
            h.raw("<section id=\"").text(s.id()).raw("\"><h2>").text(s.title()).raw("</h2>\n");
            s.render(h);
            h.raw("</section>\n");
        }
        h.raw("</main></body></html>\n");
        out.flush();
    }

    // ------------------------------------------------------------------------------------------ standard sections

    /** A section from a lambda. */
    public static Section section(String id, String title, Body body) {
        return new Section() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return title;
            }

            @Override
            public void render(Html html) throws IOException {
                body.render(html);
            }
        };
    }

    /** The body of a {@link #section}. */
    @FunctionalInterface
    public interface Body {
        void render(Html html) throws IOException;
    }

    /**
     * "Bring under Terraform": the Terraform {@code codify} writes for the drift on this page (import blocks for the
     * unmanaged resources, comments for the changed ones), as a copyable block.
     */
    public static Section codify(io.cloudwarden.engine.codify.Codifier.Result result) {
        return section("codify", "Bring under Terraform (" + result.imports().size() + " import blocks)", h -> {
            h.el("p", "meta", "Save as imports.tf, then run terraform plan -generate-config-out=generated.tf,"
                    + " review and apply. Import ids follow each Terraform provider's documented form.");
            h.el("pre", "codify", result.hcl());
        });
    }

    /** Plain lines (e.g. the sandbox's handled events), one list item each. */
    public static Section lines(String id, String title, List<String> lines) {
        return section(id, title, h -> {
            if (lines.isEmpty()) {
                h.el("p", "none", "None.");
                return;
            }
            h.raw("<ul class=\"lines\">");
            for (String l : lines) {
                h.el("li", "", l);
            }
            h.raw("</ul>");
        });
    }

    /** Counts by severity and whether the scan was complete. */
    public static Section summary(FindingsReport r) {
        return section("summary", "Summary", h -> {
            Map<Severity, Integer> counts = FindingsReportWriter.countBySeverity(r.findings());
            h.raw("<p>").text(r.findings().size() + " findings in " + r.resourcesEvaluated()
                    + " resources evaluated against " + r.rules().size() + " rules");
            r.snapshotTakenAt().ifPresent(t -> {
                try {
                    h.text(" (snapshot taken " + t + ")");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            h.raw(".</p>");
            if (r.partial()) {
                h.raw("<p class=\"warn\">").text("Partial scan: " + r.scanErrors().size()
                        + " scope(s) could not be read; their resources were not evaluated (see Unread scopes).")
                        .raw("</p>");
            }
            h.raw("<table class=\"counts\"><tr>");
            for (Severity s : Severity.values()) {
                h.raw("<th class=\"sev-" + s.id() + "\">").text(s.id()).raw("</th>");
            }
            h.raw("<th>total</th></tr><tr>");
            for (Severity s : Severity.values()) {
                h.el("td", "", Integer.toString(counts.get(s)));
            }
            h.el("td", "", Integer.toString(r.findings().size())).raw("</tr></table>");
        });
    }

    /** An inline SVG bar chart: findings per rule, one coloured segment per cloud. */
    public static Section chart(List<Finding> findings) {
        return section("chart", "Findings by rule and cloud", h -> {
            Map<String, Map<Cloud, Integer>> byRule = new TreeMap<>();
            for (Finding f : findings) {
                byRule.computeIfAbsent(f.ruleId(), k -> new EnumMap<>(Cloud.class))
                        .merge(f.resource().cloud(), 1, Integer::sum);
            }
            if (byRule.isEmpty()) {
                h.el("p", "none", "No findings.");
                return;
            }
            int max = byRule.values().stream().mapToInt(m -> m.values().stream().mapToInt(i -> i).sum()).max()
                    .orElse(1);
            int label = 260;
            int width = 520;
            int row = 22;
            int height = byRule.size() * row + 30;
            h.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" width=\"" + (label + width
                    + 60) + "\" height=\"" + height + "\" viewBox=\"0 0 " + (label + width + 60) + " " + height
                    + "\"><title>Findings by rule and cloud</title>");
            int y = 0;
            for (Map.Entry<String, Map<Cloud, Integer>> e : byRule.entrySet()) {
                h.raw("<text x=\"" + (label - 6) + "\" y=\"" + (y + 15) + "\" text-anchor=\"end\">")
                        .text(e.getKey()).raw("</text>");
                int x = label;
                int total = 0;
                for (Map.Entry<Cloud, Integer> c : e.getValue().entrySet()) {
                    int w = Math.max(1, (int) Math.round((double) c.getValue() * width / max));
                    h.raw("<rect class=\"cloud-" + c.getKey().id() + "\" x=\"" + x + "\" y=\"" + (y + 3)
                            + "\" width=\"" + w + "\" height=\"" + (row - 6) + "\"><title>").text(e.getKey() + " · "
                            + c.getKey().id() + ": " + c.getValue()).raw("</title></rect>");
                    x += w;
                    total += c.getValue();
                }
                h.raw("<text x=\"" + (x + 4) + "\" y=\"" + (y + 15) + "\">" + total + "</text>");
                y += row;
            }
            int lx = label;
            for (Cloud c : Cloud.values()) {
                h.raw("<rect class=\"cloud-" + c.id() + "\" x=\"" + lx + "\" y=\"" + (y + 10)
                        + "\" width=\"12\" height=\"12\"/><text x=\"" + (lx + 16) + "\" y=\"" + (y + 21) + "\">")
                        .text(c.id()).raw("</text>");
                lx += 80;
            }
            h.raw("</svg>");
        });
    }

    /** Every finding, grouped by severity (most severe first) then cloud; ids are the anchors {@code #<id>}. */
    public static Section findings(FindingsReport r) {
        return section("findings", "Findings", h -> {
            List<Finding> sorted = FindingsReportWriter.sorted(r.findings());
            if (sorted.isEmpty()) {
                h.el("p", "none", "No findings.");
                return;
            }
            Map<Severity, Map<Cloud, List<Finding>>> groups = new EnumMap<>(Severity.class);
            for (Finding f : sorted) {
                groups.computeIfAbsent(f.severity(), k -> new EnumMap<>(Cloud.class))
                        .computeIfAbsent(f.resource().cloud(), k -> new ArrayList<>()).add(f);
            }
            for (Map.Entry<Severity, Map<Cloud, List<Finding>>> g : groups.entrySet()) {
                String sev = g.getKey().id();
                int n = g.getValue().values().stream().mapToInt(List::size).sum();
                h.raw("<h3 class=\"sev-" + sev + "\">").text(sev + " (" + n + ")").raw("</h3>");
                for (Map.Entry<Cloud, List<Finding>> c : g.getValue().entrySet()) {
                    List<Finding> rows = c.getValue();
                    h.raw("<details" + (rows.size() <= OPEN_LIMIT ? " open" : "") + "><summary>")
                            .text(sev + " · " + c.getKey().id() + " (" + rows.size() + ")")
                            .raw("</summary><table class=\"findings\"><tr><th>id</th><th>rule</th><th>resource</th>"
                                    + "<th>message</th></tr>");
                    for (Finding f : rows) {
                        h.raw("<tr id=\"").text(f.id()).raw("\"><td class=\"id\">").text(f.id()).raw("</td><td>")
                                .text(f.ruleId()).raw("</td><td class=\"res\">").text(f.resource().id())
                                .raw("</td><td>");
                        if (f.status() == Finding.Status.ERROR) {
                            h.raw("<b>ERROR</b> ");
                        }
                        h.text(f.message()).raw("</td></tr>\n");
                    }
                    h.raw("</table></details>");
                }
            }
        });
    }

    /** How to fix each rule that has findings: the text, the automated action and how many findings it has. */
    public static Section remediation(FindingsReport r) {
        return section("remediation", "Remediation", h -> {
            Map<String, Integer> perRule = new TreeMap<>();
            r.findings().forEach(f -> perRule.merge(f.ruleId(), 1, Integer::sum));
            if (perRule.isEmpty()) {
                h.el("p", "none", "Nothing to remediate.");
                return;
            }
            Map<String, Rule> rules = FindingsReportWriter.rulesById(r);
            h.raw("<table class=\"remediation\"><tr><th>rule</th><th>findings</th><th>fix</th>"
                    + "<th>automated remediation</th></tr>");
            for (Map.Entry<String, Integer> e : perRule.entrySet()) {
                Rule rule = rules.get(e.getKey());
                Finding any = r.findings().stream().filter(f -> f.ruleId().equals(e.getKey())).findFirst()
                        .orElseThrow();
                h.raw("<tr><td>").text(e.getKey()).raw("</td><td>").text(e.getValue().toString()).raw("</td><td>")
                        .text(FindingsReportWriter.remediationText(any, rule)).raw("</td><td>");
                any.remediation().ifPresentOrElse(ref -> {
                    try {
                        h.raw("<code>").text(ref.action()).raw("</code> (").text(ref.mode().id())
                                .raw("): <code>cloudwarden remediate</code> plans it");
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }, () -> {
                    try {
                        h.text("none (manual)");
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
                h.raw("</td></tr>\n");
            }
            h.raw("</table>");
        });
    }

    /** Remediation plans (and, after an apply, their results): action, resource, risk, before → after. */
    public static Section plans(String title, List<PlanOutcome> outcomes, List<RemediationResult> results) {
        return section("plans", title, h -> {
            Map<String, RemediationResult> byPlan = new LinkedHashMap<>();
            results.forEach(x -> byPlan.put(x.planId(), x));
            List<RemediationPlan> planned = outcomes.stream().flatMap(o -> o.plan().stream()).toList();
            if (planned.isEmpty()) {
                h.el("p", "none", "Nothing to remediate.");
            }
            for (RemediationPlan p : planned) {
                RemediationResult res = byPlan.get(p.id());
                h.raw("<div class=\"plan\"><p><span class=\"tag\">").text(res == null ? "planned" : res.status())
                        .raw("</span> <code>").text(p.action()).raw("</code> on <span class=\"res\">")
                        .text(p.resource().id()).raw("</span> (").text(p.resource().cloud().id() + ", risk "
                                + p.risk().id() + ", finding ").raw("<a href=\"#").text(p.findingId()).raw("\">")
                        .text(p.findingId()).raw("</a>)</p><p>").text(p.summary()).raw("</p>");
                sideBySide(h, beforeAfter(p.before(), p.after()));
                if (res != null && !res.message().isEmpty()) {
                    h.el("p", "note", res.message());
                }
                h.raw("</div>\n");
            }
            List<PlanOutcome> skipped = outcomes.stream().filter(o -> o.plan().isEmpty()).toList();
            if (!skipped.isEmpty()) {
                h.raw("<h3>Not planned</h3><ul>");
                for (PlanOutcome o : skipped) {
                    h.raw("<li><code>").text(o.action()).raw("</code> on <span class=\"res\">")
                            .text(o.resource().id()).raw("</span>: ").text(o.skipped()).raw("</li>");
                }
                h.raw("</ul>");
            }
        });
    }

    /** Drift: one block per resource with its attributes before and after side by side, and who changed it. */
    public static Section drift(DriftReport r) {
        return section("drift", "Drift", h -> {
            h.raw("<p>").text("Compared " + r.comparedAt() + " against the "
                    + ("baseline".equals(r.mode()) ? "baseline" : "previous snapshot") + ": " + r.managed()
                    + " managed, " + r.unchanged() + " unchanged, " + r.drift().size() + " drifted, "
                    + r.notCompared().size() + " not compared, " + r.ignored() + " ignored.").raw("</p>");
            if (r.partial()) {
                h.raw("<p class=\"warn\">").text(r.unread().size() + " scope(s) were not read; resources in them"
                        + " are not compared (see Unread scopes).").raw("</p>");
            }
            List<ResourceDrift> sorted = r.drift().stream().sorted(DriftReportWriter.ORDER).toList();
            if (sorted.isEmpty()) {
                h.el("p", "none", "No drift.");
            }
            for (ResourceDrift d : sorted) {
                h.raw("<div class=\"drift\"><p><span class=\"tag kind-" + d.kind().id() + "\">")
                        .text(DriftReportWriter.label(d.kind(), r.mode())).raw("</span> <span class=\"res\">")
                        .text(d.resource().id()).raw("</span> ").text("(" + d.resource().cloud().id() + " · "
                                + d.resource().type() + (d.resource().region().isEmpty() ? "" : " · "
                                + d.resource().region()) + ")");
                h.raw(" <span class=\"actor\">changed by ");
                if (d.actor().known()) {
                    h.text(d.actor().label() + " (" + d.actor().kind()
                            + (d.actor().via().isEmpty() ? "" : " via " + d.actor().via()) + ")");
                } else {
                    h.text("unknown (no event named the change)");
                }
                h.raw("</span></p>");
                if (!d.patch().isEmpty()) {
                    List<String[]> rows = new ArrayList<>();
                    for (AttributeChange c : d.patch()) {
                        rows.add(new String[] {c.path().isEmpty() ? "/" : c.path(),
                            "add".equals(c.op()) ? "(absent)" : json(c.from()),
                            "remove".equals(c.op()) ? "(removed)" : json(c.value())});
                    }
                    sideBySide(h, rows);
                }
                h.raw("</div>\n");
            }
            if (!r.notCompared().isEmpty()) {
                h.raw("<h3>Not compared</h3><table><tr><th>source</th><th>address</th><th>reason</th></tr>");
                for (NotCompared n : r.notCompared()) {
                    h.raw("<tr><td>").text(n.source()).raw("</td><td>").text(n.address()).raw("</td><td>")
                            .text(n.reason()).raw("</td></tr>");
                }
                h.raw("</table>");
            }
        });
    }

    /** The scopes the scan could not read: nothing in them was judged (never reported as absent). */
    public static Section unread(List<ScanError> errors) {
        return section("unread", "Unread scopes", h -> {
            if (errors.isEmpty()) {
                h.el("p", "none", "Every scope was read.");
                return;
            }
            h.raw("<p class=\"warn\">").text("Nothing in these scopes was evaluated or compared.").raw("</p>");
            h.raw("<table class=\"unread\"><tr><th>scope</th><th>code</th><th>message</th></tr>");
            for (ScanError e : errors) {
                h.raw("<tr><td>").text(e.scope()).raw("</td><td>").text(e.code()).raw("</td><td>").text(e.message())
                        .raw("</td></tr>");
            }
            h.raw("</table>");
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void sideBySide(Html h, List<String[]> rows) throws IOException {
        h.raw("<table class=\"sbs\"><tr><th>attribute</th><th>before</th><th>after</th></tr>");
        for (String[] r : rows) {
            h.raw("<tr><td><code>").text(r[0]).raw("</code></td><td class=\"before\">").text(r[1])
                    .raw("</td><td class=\"after\">").text(r[2]).raw("</td></tr>");
        }
        h.raw("</table>");
    }

    private static List<String[]> beforeAfter(JsonNode before, JsonNode after) {
        List<String[]> rows = new ArrayList<>();
        if (before != null) {
            before.fields().forEachRemaining(e -> rows.add(new String[] {e.getKey(), json(e.getValue()),
                after != null && after.has(e.getKey()) ? json(after.get(e.getKey())) : "(unchanged)"}));
        }
        if (after != null) {
            after.fields().forEachRemaining(e -> {
                if (before == null || !before.has(e.getKey())) {
                    rows.add(new String[] {e.getKey(), "(absent)", json(e.getValue())});
                }
            });
        }
        return rows;
    }

    private static String json(JsonNode v) {
        try {
            return v == null ? "null" : ModelJson.mapper().writeValueAsString(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '?' : c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;\
            background:#fff}header{background:#14324f;color:#fff;padding:12px 24px}header h1{margin:0;font-size:22px}\
            header .meta{margin:2px 0 6px;opacity:.85}nav a{color:#cfe3ff;margin-right:14px}main{padding:8px 24px}\
            section{margin:18px 0}h2{border-bottom:2px solid #d0d7de;padding-bottom:4px}table{border-collapse:collapse;\
            margin:6px 0}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}\
            th{background:#f3f5f7}td.id,.res{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}\
            td.id{white-space:nowrap}.res{word-break:break-all}summary{cursor:pointer;font-weight:600;margin:6px 0}.warn{background:#fff4ce;\
            border-left:4px solid #d4a72c;padding:6px 10px}.none{color:#57606a}.tag{display:inline-block;\
            padding:0 6px;border-radius:8px;background:#eaeef2;font-weight:600}.kind-changed{background:#fff1c2}\
            .kind-unmanaged{background:#d8f0ff}.kind-missing{background:#ffd8d8}.actor{color:#57606a}\
            .sbs td.before{background:#ffebe9}.sbs td.after{background:#e6ffec}.plan,.drift{border:1px solid #d0d7de;\
            border-radius:6px;padding:4px 12px;margin:8px 0}.sev-critical{color:#8b0000}.sev-high{color:#cf222e}\
            .sev-medium{color:#9a6700}.sev-low{color:#0969da}.sev-info{color:#57606a}svg.chart text{font-size:12px;\
            fill:#1b1f24}.cloud-aws{fill:#ff9900}.cloud-azure{fill:#0078d4}.cloud-gcp{fill:#34a853}\
            """;
}
