package io.cloudwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.report.FindingsReport;
import io.cloudwarden.engine.report.FindingsReportWriter;
import io.cloudwarden.engine.report.HtmlReport;
import io.cloudwarden.engine.report.ReportFormat;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything one {@code sandbox} cycle produced, as one document: {@code --format json} ({@code
 * cloudwarden/sandbox/v1}) or {@code --format html} (an {@link HtmlReport} whose section list is the cycle's steps).
 * {@code guardrail} is the message of a guardrail that stopped planning (empty when none did); the {@code after}
 * parts are present only with {@code --apply}, and so are {@code remediation.rollouts} (each rollout run in waves: its
 * status, wave sizes, progress lines and halt).
 */
record SandboxDocument(Path stateDir, boolean applied, List<Cloud> clouds, List<EventOutcome> events,
        Snapshot snapshot, DriftReport drift, FindingsReport findings, List<PlanOutcome> plans,
        List<RemediationResult> results, List<io.cloudwarden.engine.remediation.rollout.RolloutRecord> rollouts,
        String guardrail, Optional<List<Finding>> findingsAfter, Optional<DriftReport> driftAfter,
        Optional<io.cloudwarden.engine.codify.Codifier.Result> codify) {

    static final String SCHEMA_V1 = "cloudwarden/sandbox/v1";

    static void write(ReportFormat format, PrintWriter out, SandboxDocument doc) throws IOException {
        switch (format) {
            case JSON -> {
                ModelJson.mapper().writerWithDefaultPrettyPrinter()
                        .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValue(out, doc.json());
                out.println();
            }
            case HTML -> doc.html().write(out);
            default -> throw new IllegalArgumentException("format: a sandbox document is json or html, not "
                    + format.id());
        }
        out.flush();
    }

    private List<ResourceEvent> handled() {
        return events.stream().flatMap(o -> o.events().stream()).toList();
    }

    ObjectNode json() {
        ObjectMapper m = ModelJson.mapper();
        ObjectNode root = m.createObjectNode();
        root.put("schema", SCHEMA_V1);
        root.put("stateDir", stateDir.toString());
        root.put("applied", applied);
        ArrayNode cl = root.putArray("clouds");
        clouds.forEach(c -> cl.add(c.id()));
        root.set("events", m.valueToTree(handled()));
        ObjectNode scan = root.putObject("scan");
        scan.put("takenAt", snapshot.takenAt().toString());
        scan.put("resources", snapshot.resources().size());
        ObjectNode byType = scan.putObject("byType");
        countByType().forEach(byType::put);
        scan.set("unread", m.valueToTree(snapshot.errors()));
        root.set("drift", m.valueToTree(drift));
        root.set("findings", FindingsReportWriter.json(findings));
        ObjectNode rem = root.putObject("remediation");
        if (!guardrail.isEmpty()) {
            rem.put("stoppedByGuardrail", guardrail);
        }
        rem.set("plans", m.valueToTree(plans.stream().flatMap(p -> p.plan().stream()).toList()));
        ArrayNode skipped = rem.putArray("notPlanned");
        plans.stream().filter(p -> p.plan().isEmpty()).forEach(p -> {
            ObjectNode s = skipped.addObject();
            s.put("findingId", p.findingId());
            s.put("action", p.action());
            s.set("resource", m.valueToTree(p.resource()));
            s.put("reason", p.skipped());
        });
        rem.set("results", m.valueToTree(results));
        ArrayNode ro = rem.putArray("rollouts");
        rollouts.forEach(r -> {
            ObjectNode o = ro.addObject();
            o.put("id", r.id()).put("action", r.action()).put("status", r.status());
            ArrayNode sizes = o.putArray("waves");
            r.waves().forEach(w -> sizes.add(w.items().size()));
            o.put("verified", r.verifiedCount());
            ArrayNode progress = o.putArray("progress");
            r.progressLines().forEach(progress::add);
            o.set("halt", m.valueToTree(r.halt()));
        });
        if (findingsAfter.isPresent() || driftAfter.isPresent()) {
            ObjectNode after = root.putObject("after");
            findingsAfter.ifPresent(f -> {
                after.put("findings", f.size());
                ArrayNode resolved = after.putArray("resolved");
                resolved().forEach(resolved::add);
            });
            driftAfter.ifPresent(d -> after.set("drift", m.valueToTree(d)));
        }
        return root;
    }

    private Map<String, Integer> countByType() {
        Map<String, Integer> byType = new TreeMap<>();
        snapshot.resources().forEach(r -> byType.merge(r.cloud().id() + " " + r.type(), 1, Integer::sum));
        return byType;
    }

    /** "rule resource" of each finding gone after the fix. */
    private List<String> resolved() {
        Set<String> now = new LinkedHashSet<>();
        findingsAfter.orElse(List.of()).forEach(f -> now.add(f.ruleId() + " " + f.resource().id()));
        return findings.findings().stream().map(f -> f.ruleId() + " " + f.resource().id())
                .filter(k -> !now.contains(k)).distinct().toList();
    }

    /**
     * The page: the cycle's steps as sections. Later content (e.g. "Bring under Terraform" import blocks for the
     * unmanaged resources) is one more {@link HtmlReport.Section} added to this list.
     */
    HtmlReport html() {
        List<String> eventLines = new ArrayList<>();
        for (ResourceEvent e : handled()) {
            eventLines.add(e.time() + "  " + e.actor().label() + " (" + e.actor().kind() + ")  " + e.action() + "  "
                    + e.id());
        }
        List<String> scanLines = new ArrayList<>();
        countByType().forEach((k, v) -> scanLines.add(k + ": " + v));
        HtmlReport page = new HtmlReport("Cloudwarden sandbox", findings.generatedAt())
                .add(HtmlReport.lines("events", "Cloud events handled (" + eventLines.size() + ")", eventLines))
                .add(HtmlReport.lines("scan", "Scan: " + snapshot.resources().size() + " resources", scanLines))
                .add(HtmlReport.drift(drift))
                .add(HtmlReport.summary(findings))
                .add(HtmlReport.chart(findings.findings()))
                .add(HtmlReport.findings(findings))
                .add(HtmlReport.remediation(findings))
                .add(HtmlReport.plans(applied ? "Remediation (applied)" : "Remediation plan (dry run: nothing was"
                        + " changed)", plans, results));
        if (!guardrail.isEmpty()) {
            page.add(HtmlReport.lines("guardrail", "Stopped by a guardrail", List.of(guardrail)));
        }
        if (findingsAfter.isPresent()) {
            List<String> after = new ArrayList<>();
            after.add("Findings: " + findings.findings().size() + " before → " + findingsAfter.get().size()
                    + " after.");
            driftAfter.ifPresent(d -> after.add("Drift: " + drift.drift().size() + " resources before → "
                    + d.drift().size() + " after."));
            resolved().forEach(r -> after.add("resolved: " + r));
            page.add(HtmlReport.lines("after", "After the fix (rescan)", after));
        }
        codify.ifPresent(c -> page.add(HtmlReport.codify(c)));
        return page.add(HtmlReport.unread(snapshot.errors()));
    }
}
