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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Renders a {@link FindingsReport} as JSON, OCSF 1.3.0 (array or NDJSON), SARIF 2.1.0, Markdown, a terminal table or
 * an HTML page ({@link HtmlReport}). Every format lists
 * findings in the same stable order: severity (most severe first), rule id, resource id. The writer is not closed.
 */
public final class FindingsReportWriter {
    /** OCSF schema version the OCSF output follows exactly (Compliance Finding, class 2003, with {@code resources[]}). */
    public static final String OCSF_VERSION = "1.3.0";
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
        List<Finding> sorted = sorted(report.findings());
        switch (format) {
            case JSON -> writeJson(report, sorted, out);
            case OCSF -> pretty(ocsf(report, sorted), out);
            case OCSF_NDJSON -> ocsfNdjson(report, sorted, out);
            case SARIF -> pretty(sarif(report, sorted), out);
            case MARKDOWN -> out.write(markdown(report, sorted));
            case TABLE -> out.write(table(report, sorted, color, width));
            case HTML -> HtmlReport.of(report).write(out);
            default -> throw new IllegalArgumentException("format: unsupported " + format);
        }
        out.flush();
    }

    /**
     * {@code findings} in {@link #ORDER}, computing each finding's resource match key once instead of twice per
     * comparison (sorting 68,000 findings spent most of its time building those keys). A stable sort under an
     * equivalent comparator: the same order as {@code sorted(ORDER)}.
     */
    static List<Finding> sorted(List<Finding> findings) {
        record Keyed(Finding finding, String key) {
        }
        Keyed[] keyed = new Keyed[findings.size()];
        for (int i = 0; i < keyed.length; i++) {
            Finding f = findings.get(i);
            keyed[i] = new Keyed(f, f.resource().matchKey());
        }
        Arrays.sort(keyed, (a, b) -> {
            int c = a.finding().severity().compareTo(b.finding().severity());
            if (c == 0) {
                c = a.finding().ruleId().compareTo(b.finding().ruleId());
            }
            if (c == 0) {
                c = a.key().compareTo(b.key());
            }
            return c != 0 ? c : a.finding().status().compareTo(b.finding().status());
        });
        List<Finding> out = new ArrayList<>(keyed.length);
        for (Keyed k : keyed) {
            out.add(k.finding());
        }
        return out;
    }

    /**
     * The JSON report ({@link #json(FindingsReport, List)}, byte for byte) streamed: the envelope and summary as a
     * small tree, then the findings, rules and scan errors serialized straight to the generator instead of being
     * copied into a tree first (a 100,000-resource check has ~68,000 findings).
     */
    static void writeJson(FindingsReport report, List<Finding> sorted, Writer out) throws IOException {
        ObjectNode head = header(report, sorted);
        try (JsonGenerator g = ModelJson.pretty().createGenerator(out)) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = head.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
            // writeObject goes through the generator's codec (the model mapper), keeping the generator's pretty
            // printer and its indentation level; ObjectWriter.writeValue(generator, ...) would reset both
            g.writeFieldName("findings");
            g.writeObject(sorted);
            g.writeFieldName("rules");
            g.writeObject(report.rules());
            g.writeFieldName("scanErrors");
            g.writeObject(report.scanErrors());
            g.writeEndObject();
        }
        out.write("\n");
    }

    /** Pretty-printed JSON and a newline, written straight to {@code out} (no string of the whole report). */
    static void pretty(JsonNode node, Writer out) throws IOException {
        ModelJson.pretty().writeValue(out, node);
        out.write("\n");
    }

    // ------------------------------------------------------------------------------------------------ JSON

    /** The {@code cloudwarden/findings/v1} document of {@code report} (what {@code --format json} prints). */
    public static ObjectNode json(FindingsReport report) {
        return json(report, sorted(report.findings()));
    }

    static ObjectNode json(FindingsReport report, List<Finding> sorted) {
        ObjectNode root = header(report, sorted);
        root.set("findings", JSON.valueToTree(sorted));
        root.set("rules", JSON.valueToTree(report.rules()));
        root.set("scanErrors", JSON.valueToTree(report.scanErrors()));
        return root;
    }

    /** The JSON report's fields before its findings: envelope and summary. */
    private static ObjectNode header(FindingsReport report, List<Finding> sorted) {
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
     * OCSF 1.3.0 Compliance Finding (class_uid 2003, category 2 Findings, activity 1 Create → type_uid 200301), one
     * event per finding. FAIL → compliance status Fail (3); ERROR (could not evaluate) → Unknown (0). The event uses
     * the {@code cloud} profile ({@code metadata.profiles}). The compliance object names only the benchmarks of the
     * finding's own cloud (an AWS finding cites CIS AWS, never the Azure or GCP benchmark of the same rule):
     * {@code control} is the benchmark's recommendation number ({@code 2.1.4}), {@code requirements} every matching
     * control id of that cloud ({@code CIS AWS 2.1.4}); a rule without a benchmark control for that cloud cites the
     * standard {@link #OCSF_NO_BENCHMARK} and no control. {@code cloud_partition} is the AWS partition from the ARN
     * and absent elsewhere. Every event carries {@code remediation.desc} ({@link Rule#remediationText()}).
     */
    static ArrayNode ocsf(FindingsReport report, List<Finding> sorted) {
        ArrayNode out = JSON.createArrayNode();
        Map<String, Rule> rules = rulesById(report);
        for (Finding f : sorted) {
            out.add(ocsfEvent(report, f, rules.get(f.ruleId())));
        }
        return out;
    }

    /** One OCSF JSON object per line, no array around them (what Security Hub and log pipelines ingest). */
    static void ocsfNdjson(FindingsReport report, List<Finding> sorted, Writer out) throws IOException {
        Map<String, Rule> rules = rulesById(report);
        var writer = JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        for (Finding f : sorted) {
            out.write(writer.writeValueAsString(ocsfEvent(report, f, rules.get(f.ruleId()))));
            out.write("\n");
        }
    }

    static Map<String, Rule> rulesById(FindingsReport report) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        report.rules().forEach(r -> rules.putIfAbsent(r.id(), r));
        return rules;
    }

    /** The standard an OCSF event cites when its rule maps to no benchmark control of the finding's cloud. */
    public static final String OCSF_NO_BENCHMARK = "Cloudwarden rules";

    static ObjectNode ocsfEvent(FindingsReport report, Finding f, Rule rule) {
        ObjectNode o = JSON.createObjectNode();
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
        info.put("title", f.title().isEmpty() ? f.ruleId() : f.title());
        info.put("desc", f.message());
        info.putArray("types").add("Policy");
        info.put("created_time", report.generatedAt().toEpochMilli());
        ObjectNode analytic = info.putObject("analytic");
        analytic.put("uid", f.ruleId());
        if (!f.title().isEmpty()) {
            analytic.put("name", f.title());
        }
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");

        Cloud cloud = f.resource().cloud();
        List<String> own = f.controls().stream().filter(c -> controlCloud(c).map(cloud::equals).orElse(true))
                .toList();
        ObjectNode compliance = o.putObject("compliance");
        ArrayNode standards = compliance.putArray("standards");
        if (own.isEmpty()) {
            standards.add(OCSF_NO_BENCHMARK);
        } else {
            own.stream().map(FindingsReportWriter::standard).distinct().forEach(standards::add);
            compliance.put("control", recommendation(own.get(0)));
            ArrayNode requirements = compliance.putArray("requirements");
            own.forEach(requirements::add);
        }
        boolean failed = f.status() == Finding.Status.FAIL;
        compliance.put("status_id", failed ? 3 : 0);
        compliance.put("status", failed ? "Fail" : "Unknown");
        if (!failed) {
            compliance.put("status_detail", f.message());
        }

        ObjectNode res = o.putArray("resources").addObject();
        res.put("uid", f.resource().id());
        res.put("type", f.resource().type());
        if (!f.resource().region().isEmpty()) {
            res.put("region", f.resource().region());
        }
        awsPartition(cloud, f.resource().id()).ifPresent(p -> res.put("cloud_partition", p));
        res.putObject("data").put("account", f.resource().account());

        ObjectNode c = o.putObject("cloud");
        c.put("provider", ocsfProvider(cloud));
        ObjectNode account = c.putObject("account");
        account.put("uid", f.resource().account());
        if (cloud == Cloud.AWS) {
            account.put("type_id", 10);
            account.put("type", "AWS Account");
        }
        if (!f.resource().region().isEmpty()) {
            c.put("region", f.resource().region());
        }

        o.putObject("remediation").put("desc", remediationText(f, rule));

        ObjectNode metadata = o.putObject("metadata");
        metadata.put("version", OCSF_VERSION);
        metadata.putArray("profiles").add("cloud");
        ObjectNode product = metadata.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);
        product.put("version", ToolVersion.get());
        metadata.put("event_code", f.ruleId());
        return o;
    }

    /**
     * What to do about {@code f}: the rule's text ({@link Rule#remediationText()}); for a finding whose rule is not
     * in the report, its automated action or its title. Never empty.
     */
    static String remediationText(Finding f, Rule rule) {
        if (rule != null) {
            return rule.remediationText();
        }
        return f.remediation().map(r -> "Run Cloudwarden's remediation " + r.action() + " (cloudwarden remediate).")
                .orElse("Change the resource so that it complies: " + (f.title().isEmpty() ? f.ruleId() : f.title())
                        + ".");
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

    /** The AWS partition from an ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}); empty for other ids/clouds. */
    static java.util.Optional<String> awsPartition(Cloud c, String id) {
        if (c == Cloud.AWS && id.startsWith("arn:")) {
            String[] parts = id.split(":", 3);
            if (parts.length >= 2 && !parts[1].isEmpty()) {
                return java.util.Optional.of(parts[1]);
            }
        }
        return java.util.Optional.empty();
    }

    /** The benchmarks the built-in pack cites, by control prefix (the versions named in rules/builtin.yaml). */
    private static final Map<String, Cloud> CONTROL_CLOUDS = Map.of(
            "CIS AWS ", Cloud.AWS, "CIS Azure ", Cloud.AZURE, "CIS GCP ", Cloud.GCP);
    private static final Map<String, String> STANDARDS = Map.of(
            "CIS AWS ", "CIS Amazon Web Services Foundations Benchmark v3.0.0",
            "CIS Azure ", "CIS Microsoft Azure Foundations Benchmark v2.0.0",
            "CIS GCP ", "CIS Google Cloud Platform Foundation Benchmark v2.0.0");

    /** The cloud a control belongs to ({@code CIS AWS 2.1.4} → AWS); empty for a cloud-neutral control. */
    static java.util.Optional<Cloud> controlCloud(String control) {
        return CONTROL_CLOUDS.entrySet().stream().filter(e -> control.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    /** "CIS AWS 2.1.4" → "CIS Amazon Web Services Foundations Benchmark v3.0.0"; "NIST AC-3" → "NIST". */
    static String standard(String control) {
        for (Map.Entry<String, String> e : STANDARDS.entrySet()) {
            if (control.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        int space = control.lastIndexOf(' ');
        return space > 0 ? control.substring(0, space) : control;
    }

    /** "CIS AWS 2.1.4" → "2.1.4" (the recommendation number within its standard). */
    static String recommendation(String control) {
        int space = control.lastIndexOf(' ');
        return space > 0 ? control.substring(space + 1) : control;
    }

    // ------------------------------------------------------------------------------------------------ SARIF

    static ObjectNode sarif(FindingsReport report, List<Finding> sorted) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", PRODUCT);
        driver.put("version", ToolVersion.get());
        driver.put("semanticVersion", ToolVersion.get());
        driver.put("informationUri", INFORMATION_URI);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Rule r : report.rules()) {
            if (index.putIfAbsent(r.id(), index.size()) != null) {
                continue;
            }
            ObjectNode rule = rules.addObject();
            rule.put("id", r.id());
            rule.put("name", ruleName(r.id()));
            rule.putObject("shortDescription").put("text", sentence(r.title().isEmpty() ? r.id() : r.title()));
            rule.putObject("fullDescription").put("text", sentence(r.description().isEmpty() ? r.title()
                    : r.description()));
            ObjectNode help = rule.putObject("help");
            help.put("text", sentence(r.remediationText()));
            help.put("markdown", helpMarkdown(r));
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
            res.putObject("message").put("text", sentence(f.message()));
            // a cloud resource is not a file: it is a logical location (its id), never an artifact URI
            ObjectNode loc = res.putArray("locations").addObject();
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("name", shortName(f.resource().id()));
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

    /** A rule id as a SARIF rule name (PascalCase, GitHub's preference): {@code storage-no-public-access} → StorageNoPublicAccess. */
    static String ruleName(String id) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : id.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            } else {
                up = true;
            }
        }
        return b.toString();
    }

    /** The last segment of a resource id (ARN, ARM id, CAI name): what a reader calls the resource. */
    static String shortName(String id) {
        int cut = Math.max(id.lastIndexOf('/'), id.lastIndexOf(':'));
        return cut >= 0 && cut < id.length() - 1 ? id.substring(cut + 1) : id;
    }

    /** SARIF messages are sentences: they end with a period (SARIF2005/2015 style rules). */
    static String sentence(String s) {
        String t = s.strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith("?") || t.endsWith("!") ? t : t + ".";
    }

    private static String helpMarkdown(Rule r) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(r.title().isEmpty() ? r.id() : r.title()).append("**\n\n");
        if (!r.description().isEmpty()) {
            b.append(sentence(r.description())).append("\n\n");
        }
        b.append("**How to fix:** ").append(sentence(r.remediationText())).append("\n");
        r.remediation().ifPresent(ref -> b.append("\nAutomated: `cloudwarden remediate` plans `")
                .append(ref.action()).append("` (mode ").append(ref.mode().id()).append(").\n"));
        if (!r.controls().isEmpty()) {
            b.append("\nControls: ").append(String.join(", ", r.controls())).append(".\n");
        }
        return b.toString();
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
