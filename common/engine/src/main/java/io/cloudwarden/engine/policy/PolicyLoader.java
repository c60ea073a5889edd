package io.cloudwarden.engine.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads rule files of the shape {@code rules: [ {id, title, description?, severity, resource, condition, controls?,
 * remediation?: {action, mode?}, fix?} ]}. Validation is structural only (fields, severity, resource types, duplicate
 * ids); CEL conditions are compiled and type-checked by {@link PolicyEngine}. Unknown fields are rejected so that a
 * typo ({@code severty:}) is reported instead of silently ignored.
 */
public final class PolicyLoader {
    /** Where the built-in rule pack lives on the classpath. */
    public static final String BUILTIN_RESOURCE = "/rules/builtin.yaml";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> RULE_FIELDS = Set.of(
            "id", "title", "description", "severity", "resource", "condition", "controls", "remediation", "fix");
    private static final Set<String> REMEDIATION_FIELDS = Set.of("action", "mode");
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

    private PolicyLoader() {
    }

    /**
     * Loads one rule file, or every {@code *.yaml} / {@code *.yml} file of a directory (not recursive) in file-name
     * order. Rule ids must be unique across all files read.
     */
    public static List<Rule> load(Path fileOrDir) {
        String where = fileOrDir.toString();
        if (!Files.exists(fileOrDir)) {
            throw new PolicyValidationException(where, "", "no such rule file or directory");
        }
        List<Path> files;
        if (Files.isDirectory(fileOrDir)) {
            try (Stream<Path> s = Files.list(fileOrDir)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> {
                            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                            return n.endsWith(".yaml") || n.endsWith(".yml");
                        })
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new PolicyValidationException(where, "", "cannot list directory: " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new PolicyValidationException(where, "", "no *.yaml or *.yml rule files in directory");
            }
        } else {
            files = List.of(fileOrDir);
        }
        List<Rule> all = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PolicyValidationException(f.toString(), "", "cannot read file: " + e.getMessage(), e);
            }
            for (Rule r : parse(text, f.toString())) {
                String previous = seen.putIfAbsent(r.id(), r.source());
                if (previous != null) {
                    throw new PolicyValidationException(f.toString(), r.id(),
                            "duplicate rule id, already defined in " + previous);
                }
                all.add(r);
            }
        }
        return List.copyOf(all);
    }

    /** The built-in rule pack shipped in this jar ({@value #BUILTIN_RESOURCE}). */
    public static List<Rule> builtIn() {
        String source = "classpath:" + BUILTIN_RESOURCE;
        try (InputStream in = PolicyLoader.class.getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) {
                throw new PolicyValidationException(source, "", "built-in rule pack missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
    }

    /** Parses the YAML text of one rule file; {@code source} names it in errors and in {@link Rule#source()}. */
    public static List<Rule> parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr();
            throw new PolicyValidationException(source, "", "invalid YAML" + at + ": " + yamlProblem(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new PolicyValidationException(source, "", "file is empty; expected a top-level 'rules:' list");
        }
        if (!root.isObject() || !root.has("rules")) {
            throw new PolicyValidationException(source, "", "expected a top-level 'rules:' list");
        }
        JsonNode rules = root.get("rules");
        if (!rules.isArray()) {
            throw new PolicyValidationException(source, "", "'rules' must be a list of rules but was "
                    + kind(rules));
        }
        List<Rule> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : rules) {
            Rule r = parseRule(node, source, index);
            Integer previous = seen.putIfAbsent(r.id(), index);
            if (previous != null) {
                throw new PolicyValidationException(source, r.id(),
                        "duplicate rule id (rules[" + previous + "] and rules[" + index + "])");
            }
            out.add(r);
            index++;
        }
        return List.copyOf(out);
    }

    /**
     * SnakeYAML messages interleave the problem with indented source excerpts and caret lines; keep the problem
     * lines only ("while scanning a quoted scalar; found unexpected end of stream").
     */
    private static String yamlProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String lines = m.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::trim)
                .collect(java.util.stream.Collectors.joining("; "));
        return lines.isEmpty() ? m.trim() : lines;
    }

    private static Rule parseRule(JsonNode node, String source, int index) {
        String label = "rules[" + index + "]";
        if (!node.isObject()) {
            throw new PolicyValidationException(source, "", label + ": expected a mapping but was " + kind(node));
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            throw new PolicyValidationException(source, "", label + ": missing 'id' (a non-empty string)");
        }
        String id = idNode.asText().trim();
        if (!RULE_ID.matcher(id).matches()) {
            throw new PolicyValidationException(source, id,
                    "'id' must start with a letter or digit and contain only letters, digits, '.', '_', ':', '/', '-'");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!RULE_FIELDS.contains(f)) {
                throw new PolicyValidationException(source, id, "unknown field '" + f + "'; expected only "
                        + String.join(", ", sorted(RULE_FIELDS)));
            }
        }
        String title = requiredString(node, "title", source, id);
        String description = optionalString(node, "description", source, id);
        String severityText = requiredString(node, "severity", source, id);
        Severity severity;
        try {
            severity = Severity.of(severityText);
        } catch (IllegalArgumentException e) {
            throw new PolicyValidationException(source, id, e.getMessage());
        }
        List<String> types = stringOrList(node, "resource", source, id);
        if (types.isEmpty()) {
            throw new PolicyValidationException(source, id,
                    "missing 'resource' (one of " + String.join(", ", ResourceTypes.ALL) + ", or a list of them)");
        }
        for (String t : types) {
            if (!ResourceTypes.isKnown(t)) {
                throw new PolicyValidationException(source, id, "unknown resource type '" + t
                        + "'; expected one of " + String.join(", ", ResourceTypes.ALL));
            }
        }
        String condition = requiredString(node, "condition", source, id);
        List<String> controls = node.has("controls") ? stringOrList(node, "controls", source, id) : List.of();
        Optional<RemediationRef> remediation = remediation(node.get("remediation"), source, id);
        String fix = optionalString(node, "fix", source, id);
        return new Rule(id, title, description, severity, types.stream().distinct().toList(), condition, controls,
                remediation, fix, source);
    }

    private static Optional<RemediationRef> remediation(JsonNode node, String source, String id) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new PolicyValidationException(source, id,
                    "'remediation' must be a mapping {action, mode} but was " + kind(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!REMEDIATION_FIELDS.contains(f)) {
                throw new PolicyValidationException(source, id,
                        "unknown field 'remediation." + f + "'; expected only action, mode");
            }
        }
        String action = requiredString(node, "action", source, id, "remediation.action");
        if (!action.contains("/")) {
            throw new PolicyValidationException(source, id, "'remediation.action' must look like "
                    + "'<type>/<action>' (e.g. storage.bucket/block-public-access) but was '" + action + "'");
        }
        RemediationRef.Mode mode = RemediationRef.Mode.NOTIFY;
        String modeText = optionalString(node, "mode", source, id);
        if (!modeText.isEmpty()) {
            try {
                mode = RemediationRef.Mode.of(modeText);
            } catch (IllegalArgumentException e) {
                throw new PolicyValidationException(source, id, "remediation." + e.getMessage());
            }
        }
        return Optional.of(new RemediationRef(action, mode));
    }

    private static String requiredString(JsonNode node, String field, String source, String id) {
        return requiredString(node, field, source, id, field);
    }

    private static String requiredString(JsonNode node, String field, String source, String id, String label) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new PolicyValidationException(source, id, "missing '" + label + "' (a non-empty string)");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new PolicyValidationException(source, id,
                    "'" + label + "' must be a non-empty string but was " + kind(v));
        }
        return v.asText().trim();
    }

    private static String optionalString(JsonNode node, String field, String source, String id) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new PolicyValidationException(source, id, "'" + field + "' must be a string but was " + kind(v));
        }
        return v.asText().trim();
    }

    private static List<String> stringOrList(JsonNode node, String field, String source, String id) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual()) {
            return v.asText().isBlank() ? List.of() : List.of(v.asText().trim());
        }
        if (!v.isArray()) {
            throw new PolicyValidationException(source, id,
                    "'" + field + "' must be a string or a list of strings but was " + kind(v));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new PolicyValidationException(source, id,
                        "'" + field + "' must contain only non-empty strings but had " + kind(e));
            }
            out.add(e.asText().trim());
        }
        return out;
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isTextual()) {
            return "the string '" + v.asText() + "'";
        }
        return "the " + v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + v;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
