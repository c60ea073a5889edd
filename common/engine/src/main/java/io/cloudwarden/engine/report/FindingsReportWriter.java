package io.cloudwarden.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Severity;
import java.io.IOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Renders a {@link FindingsReport} as JSON, OCSF, SARIF 2.1.0, Markdown or a terminal table. Every format lists
 * findings in the same stable order: severity (most severe first), rule id, resource id. The writer is not closed.
 */
public final class FindingsReportWriter {
    /** OCSF schema version the OCSF output follows (Compliance Finding, class 2003). */
    public static final String OCSF_VERSION = "1.1.0";
    public static final String SARIF_SCHEMA =
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    public static final String INFORMATION_URI = "https://github.com/cloudwarden/cloudwarden";
    static final String PRODUCT = "Cloudwarden";

    /** Stable report order: severity, rule, resource (cloud, type, id), then status. */
    public static final Comparator<Finding> ORDER = Comparator
            .comparing(Finding::severity)
            .thenComparing(Finding::ruleId)
            .thenComparing(f -> f.resource().matchKey())
            .thenComparing(Finding::status);

    private static final ObjectMapper JSON = ModelJson.mapper();

    private FindingsReportWriter() {
    }

    /** Writes {@code report} in {@code format}, without ANSI colour. */
    public static void write(FindingsReport report, ReportFormat format, Writer out) throws IOException {
        write(report, format, out, false);
    }

    /** Writes {@code report} in {@code format}; {@code color} adds ANSI colour to the TABLE severity column only. */
    public static void write(FindingsReport report, ReportFormat format, Writer out, boolean color)
            throws IOException {
        write(report, format, out, color, 0);
    }

    /**
     * As {@link #write(FindingsReport, ReportFormat, Writer, boolean)}; a TABLE fits {@code width} columns (0:
     * unlimited) by wrapping the message, never by cutting an id.
     */
    public static void write(FindingsReport report, ReportFormat format, Writer out, boolean color, int width)
            throws IOException {
        List<Finding> sorted = report.findings().stream().sorted(ORDER).toList();
        switch (format) {
            case JSON -> pretty(json(report, sorted), out);
            case OCSF -> pretty(ocsf(report, sorted), out);
            case SARIF -> pretty(sarif(report, sorted), out);
            case MARKDOWN -> out.write(markdown(report, sorted));
            case TABLE -> out.write(table(report, sorted, color, width));
            default -> throw new IllegalArgumentException("format: unsupported " + format);
        }
        out.flush();
    }

    /** Pretty-printed JSON and a newline, written straight to {@code out} (no string of the whole report). */
    static void pretty(JsonNode node, Writer out) throws IOException {
        ModelJson.pretty().writeValue(out, node);
        out.write("\n");
    }

    // ------------------------------------------------------------------------------------------------ JSON

    static ObjectNode json(FindingsReport report, List<Finding> sorted) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", FindingsReport.SCHEMA_V1);
        root.put("generatedAt", report.generatedAt().toString());
        if (report.snapshotTakenAt().isPresent()) {
            root.put("snapshotTakenAt", report.snapshotTakenAt().get().toString());
        } else {
            root.putNull("snapshotTakenAt");
        }
        root.put("resourcesEvaluated", report.resourcesEvaluated());
        root.put("partial", report.partial());
        ObjectNode summary = root.putObject("summary");
        summary.put("total", sorted.size());
        summary.put("failed", sorted.stream().filter(f -> f.status() == Finding.Status.FAIL).count());
        summary.put("errors", sorted.stream().filter(f -> f.status() == Finding.Status.ERROR).count());
        ObjectNode bySeverity = summary.putObject("bySeverity");
        countBySeverity(sorted).forEach((s, n) -> bySeverity.put(s.id(), n));
        root.set("findings", JSON.valueToTree(sorted));
        root.set("rules", JSON.valueToTree(report.rules()));
        root.set("scanErrors", JSON.valueToTree(report.scanErrors()));
        return root;
    }

    static Map<Severity, Integer> countBySeverity(List<Finding> findings) {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        findings.forEach(f -> m.merge(f.severity(), 1, Integer::sum));
        return m;
    }

    // ------------------------------------------------------------------------------------------------ OCSF

    /**
     * OCSF Compliance Finding (class_uid 2003, category 2 Findings, activity 1 Create → type_uid 200301), one
     * object per finding. FAIL → compliance status Fail (3); ERROR (could not evaluate) → Unknown (0).
     */
    static ArrayNode ocsf(FindingsReport report, List<Finding> sorted) {
        ArrayNode out = JSON.createArrayNode();
        for (Finding f : sorted) {
            ObjectNode o = out.addObject();
            o.put("class_uid", 2003);
            o.put("class_name", "Compliance Finding");
            o.put("category_uid", 2);
            o.put("category_name", "Findings");
            o.put("activity_id", 1);
            o.put("activity_name", "Create");
            o.put("type_uid", 200301);
            o.put("type_name", "Compliance Finding: Create");
            o.put("severity_id", ocsfSeverityId(f.severity()));
            o.put("severity", ocsfSeverity(f.severity()));
            o.put("status_id", 1);
            o.put("status", "New");
            o.put("time", f.observedAt().toEpochMilli());
            o.put("message", f.message());

            ObjectNode info = o.putObject("finding_info");
            info.put("uid", f.id());
            info.put("title", f.title());
            info.put("desc", f.message());
            info.putArray("types").add("Policy");
            info.put("created_time", report.generatedAt().toEpochMilli());

            ObjectNode compliance = o.putObject("compliance");
            ArrayNode standards = compliance.putArray("standards");
            standards(f.controls()).forEach(standards::add);
            compliance.put("control", f.ruleId());
            ArrayNode requirements = compliance.putArray("requirements");
            f.controls().forEach(requirements::add);
            boolean failed = f.status() == Finding.Status.FAIL;
            compliance.put("status", failed ? "Fail" : "Unknown");
            compliance.put("status_id", failed ? 3 : 0);

            ObjectNode res = o.putArray("resources").addObject();
            res.put("uid", f.resource().id());
            res.put("type", f.resource().type());
            res.put("region", f.resource().region());
            res.put("cloud_partition", partition(f.resource().cloud(), f.resource().id()));
            res.putObject("data").put("account", f.resource().account());

            ObjectNode cloud = o.putObject("cloud");
            cloud.put("provider", ocsfProvider(f.resource().cloud()));
            cloud.putObject("account").put("uid", f.resource().account());
            cloud.put("region", f.resource().region());

            f.remediation().ifPresent(r -> o.putObject("remediation")
                    .put("desc", "Cloudwarden action " + r.action() + " (mode " + r.mode().id() + ")"));

            ObjectNode metadata = o.putObject("metadata");
            metadata.put("version", OCSF_VERSION);
            ObjectNode product = metadata.putObject("product");
            product.put("name", PRODUCT);
            product.put("vendor_name", PRODUCT);
            metadata.put("event_code", f.ruleId());
        }
        return out;
    }

    static int ocsfSeverityId(Severity s) {
        return switch (s) {
            case INFO -> 1;
            case LOW -> 2;
            case MEDIUM -> 3;
            case HIGH -> 4;
            case CRITICAL -> 5;
        };
    }

    static String ocsfSeverity(Severity s) {
        return switch (s) {
            case INFO -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    private static String ocsfProvider(Cloud c) {
        return switch (c) {
            case AWS -> "AWS";
            case AZURE -> "Azure";
            case GCP -> "GCP";
        };
    }

    /** The AWS partition from the ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}); the cloud id otherwise. */
    private static String partition(Cloud c, String id) {
        if (c == Cloud.AWS && id.startsWith("arn:")) {
            String[] parts = id.split(":", 3);
            if (parts.length >= 2 && !parts[1].isEmpty()) {
                return parts[1];
            }
            return "aws";
        }
        return c.id();
    }

    /** "CIS AWS 2.1.4" → "CIS AWS Foundations Benchmark" (distinct, in order). */
    private static List<String> standards(List<String> controls) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String c : controls) {
            if (c.startsWith("CIS AWS ")) {
                out.put("CIS AWS Foundations Benchmark", true);
            } else if (c.startsWith("CIS Azure ")) {
                out.put("CIS Microsoft Azure Foundations Benchmark", true);
            } else if (c.startsWith("CIS GCP ")) {
                out.put("CIS Google Cloud Platform Foundation Benchmark", true);
            } else {
                int space = c.lastIndexOf(' ');
                out.put(space > 0 ? c.substring(0, space) : c, true);
            }
        }
        if (out.isEmpty()) {
            out.put("Cloudwarden", true);
        }
        return List.copyOf(out.keySet());
    }

    // ------------------------------------------------------------------------------------------------ SARIF

    static ObjectNode sarif(FindingsReport report, List<Finding> sorted) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", PRODUCT);
        driver.put("informationUri", INFORMATION_URI);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Rule r : report.rules()) {
            if (index.putIfAbsent(r.id(), index.size()) != null) {
                continue;
            }
            ObjectNode rule = rules.addObject();
            rule.put("id", r.id());
            rule.putObject("shortDescription").put("text", r.title());
            if (!r.description().isEmpty()) {
                rule.putObject("fullDescription").put("text", r.description());
            }
            rule.putObject("defaultConfiguration").put("level", sarifLevel(r.severity()));
            ObjectNode props = rule.putObject("properties");
            props.put("severity", r.severity().id());
            props.put("security-severity", securitySeverity(r.severity()));
            ArrayNode controls = props.putArray("controls");
            r.controls().forEach(controls::add);
            ArrayNode types = props.putArray("resourceTypes");
            r.resourceTypes().forEach(types::add);
            ArrayNode tags = props.putArray("tags");
            tags.add("security");
            r.controls().forEach(tags::add);
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", !report.partial());
        invocation.put("endTimeUtc", report.generatedAt().toString());
        if (report.partial()) {
            ArrayNode notes = invocation.putArray("toolExecutionNotifications");
            for (ScanError e : report.scanErrors()) {
                ObjectNode n = notes.addObject();
                n.put("level", "error");
                n.putObject("message").put("text", "could not read " + shard(e) + ": " + e.message()
                        + (e.code().isEmpty() ? "" : " (" + e.code() + ")"));
            }
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : sorted) {
            ObjectNode res = results.addObject();
            res.put("ruleId", f.ruleId());
            Integer i = index.get(f.ruleId());
            if (i != null) {
                res.put("ruleIndex", i);
            }
            boolean failed = f.status() == Finding.Status.FAIL;
            // SARIF §3.27.9: a result whose kind is not "fail" has level "none"
            res.put("kind", failed ? "fail" : "review");
            res.put("level", failed ? sarifLevel(f.severity()) : "none");
            res.putObject("message").put("text", f.message());
            ObjectNode loc = res.putArray("locations").addObject();
            loc.putObject("physicalLocation").putObject("artifactLocation").put("uri", f.resource().id());
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("fullyQualifiedName", f.resource().id());
            logical.put("kind", "resource");
            res.putObject("partialFingerprints").put("cloudwardenFindingId/v1", f.id());
            ObjectNode props = res.putObject("properties");
            props.put("findingId", f.id());
            props.put("status", f.status().name().toLowerCase(java.util.Locale.ROOT));
            props.put("severity", f.severity().id());
            props.put("cloud", f.resource().cloud().id());
            props.put("account", f.resource().account());
            props.put("region", f.resource().region());
            props.put("resourceType", f.resource().type());
            ArrayNode controls = props.putArray("controls");
            f.controls().forEach(controls::add);
        }
        return root;
    }

    /** critical / high → error, medium → warning, low / info → note. */
    static String sarifLevel(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** GitHub code scanning's numeric severity (≥ 9 critical, ≥ 7 high, ≥ 4 medium, else low). */
    private static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    static String shard(ScanError e) {
        return String.join("/", e.cloud().id(), e.account().isEmpty() ? "*" : e.account(),
                e.region().isEmpty() ? "*" : e.region(), e.type().isEmpty() ? "*" : e.type());
    }

    // ------------------------------------------------------------------------------------------------ Markdown

    static String markdown(FindingsReport report, List<Finding> sorted) {
        StringBuilder b = new StringBuilder();
        b.append("# Cloudwarden findings\n\n");
        b.append("Generated ").append(report.generatedAt());
        report.snapshotTakenAt().ifPresent(t -> b.append(" from the snapshot taken ").append(t));
        b.append("; ").append(report.resourcesEvaluated()).append(" resources evaluated against ")
                .append(report.rules().size()).append(" rules.\n\n");
        if (report.partial()) {
            b.append("> **Partial scan:** ").append(report.scanErrors().size())
                    .append(" shard(s) could not be read; their resources were not evaluated.\n\n");
        }
        b.append("| Severity | Findings |\n|---|---:|\n");
        countBySeverity(sorted).forEach((s, n) -> b.append("| ").append(s.id()).append(" | ").append(n)
                .append(" |\n"));
        b.append("| **total** | **").append(sorted.size()).append("** |\n");
        if (sorted.isEmpty()) {
            b.append("\nNo findings.\n");
        }
        for (Severity s : Severity.values()) {
            List<Finding> group = sorted.stream().filter(f -> f.severity() == s).toList();
            if (group.isEmpty()) {
                continue;
            }
            b.append("\n## ").append(capitalize(s.id())).append(" (").append(group.size()).append(")\n\n");
            b.append("| Rule | Resource | Message |\n|---|---|---|\n");
            for (Finding f : group) {
                String msg = f.status() == Finding.Status.ERROR ? "**ERROR** " + f.message() : f.message();
                b.append("| `").append(Text.md(f.ruleId())).append("` | `").append(Text.md(f.resource().id()))
                        .append("` | ").append(Text.md(msg)).append(" |\n");
            }
        }
        if (report.partial()) {
            b.append("\n## Scan errors\n\n| Cloud | Account | Region | Type | Code | Message |\n"
                    + "|---|---|---|---|---|---|\n");
            for (ScanError e : report.scanErrors()) {
                b.append("| ").append(e.cloud().id()).append(" | ").append(Text.md(e.account())).append(" | ")
                        .append(Text.md(e.region())).append(" | ").append(Text.md(e.type())).append(" | ")
                        .append(Text.md(e.code())).append(" | ").append(Text.md(e.message())).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ------------------------------------------------------------------------------------------------ table

    /** Column caps (0: never cut): severity, finding id, rule id, cloud and resource id are whole; the message wraps. */
    static final int[] TABLE_CAPS = {0, 0, 0, 0, 0, 0};

    /** The finding id comes second: it is what {@code remediate --finding ID} takes. */
    static String table(FindingsReport report, List<Finding> sorted, boolean color, int width) {
        Text.Table t = new Text.Table(List.of("SEVERITY", "ID", "RULE", "CLOUD", "RESOURCE", "MESSAGE"), TABLE_CAPS, 5);
        for (Finding f : sorted) {
            String msg = f.status() == Finding.Status.ERROR ? "ERROR: " + f.message() : f.message();
            t.add(color ? ansi(f.severity()) : UnaryOperator.identity(), f.severity().id(), f.id(), f.ruleId(),
                    f.resource().cloud().id(), f.resource().id(), msg);
        }
        StringBuilder b = new StringBuilder();
        if (!sorted.isEmpty()) {
            b.append(t.render(width)).append('\n');
        }
        Map<Severity, Integer> counts = countBySeverity(sorted);
        b.append(sorted.size()).append(sorted.size() == 1 ? " finding" : " findings");
        StringBuilder parts = new StringBuilder();
        counts.forEach((s, n) -> {
            if (n > 0) {
                parts.append(parts.length() == 0 ? "" : ", ").append(n).append(' ').append(s.id());
            }
        });
        if (parts.length() > 0) {
            b.append(" (").append(parts).append(')');
        }
        b.append(" in ").append(report.resourcesEvaluated()).append(" resources");
        if (report.partial()) {
            b.append("; PARTIAL: ").append(report.scanErrors().size()).append(" shard(s) unread (");
            b.append(String.join(", ", report.scanErrors().stream().map(FindingsReportWriter::shard).toList()));
            b.append(')');
        }
        return b.append('\n').toString();
    }

    private static UnaryOperator<String> ansi(Severity s) {
        String code = switch (s) {
            case CRITICAL -> "\u001b[1;31m";
            case HIGH -> "\u001b[31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[36m";
            case INFO -> "\u001b[2m";
        };
        return cell -> code + cell + "\u001b[0m";
    }
}
