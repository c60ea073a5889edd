package io.cloudwarden.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fast path in front of the JSON Schema validator: compiled from the same bundled schema files, it tries to
 * <em>prove</em> a value valid by walking its Jackson tree once, without the validator's per-call set-up and its
 * text round trip of the value (profiled at a third of a 100,000-resource {@code check}). It never words an error:
 * whatever it cannot prove valid — an invalid value, or one it is unsure of — goes to the validator (networknt),
 * whose verdict and messages are the only ones ever reported. So a wrong "invalid" here only costs time; a wrong
 * "valid" would accept a bad snapshot, which is why every keyword answers {@link #VALID} only where the JSON Schema
 * 2020-12 meaning is certain and {@link #UNKNOWN} where the validator's reading might differ:
 * <ul>
 *   <li>{@code "integer"} against a floating-point number ({@code 1.0} is an integer to some validators);</li>
 *   <li>{@code enum}/{@code const} against a number or a container (numeric equality across representations);</li>
 *   <li>{@code minimum}/{@code maximum} where a floating-point value equals the bound;</li>
 *   <li>{@code minLength} of a string holding surrogate pairs (code points vs UTF-16 units);</li>
 *   <li>{@code format: date-time} for anything but the plain RFC 3339 shape
 *       {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)} with a real calendar date and time.</li>
 * </ul>
 * {@code if} needs the condition's verdict both ways, so an unsure condition makes the whole value unsure.
 *
 * <p>Only the keywords the model's schemas use are understood; a schema with any other keyword (or a {@code $ref}
 * outside the bundled {@code /schemas}) does not compile ({@link IllegalArgumentException}) and {@link ModelSchemas}
 * then validates everything with networknt alone. {@code SchemaProofTest} pins that the bundled schemas compile and
 * that this class and networknt agree on generated valid and invalid resources.
 */
final class SchemaProof {
    /** Proven valid. */
    static final int VALID = 0;
    /** Not proven either way: ask the validator. */
    static final int UNKNOWN = 1;
    /** Proven invalid (the validator still words why). */
    static final int INVALID = 2;

    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "$comment", "title",
            "description", "examples", "default", "deprecated", "readOnly", "writeOnly");

    private final Check root;

    private SchemaProof(Check root) {
        this.root = root;
    }

    /** {@link #VALID}, {@link #INVALID} or {@link #UNKNOWN}. */
    int test(JsonNode value) {
        return root.test(value);
    }

    boolean provesValid(JsonNode value) {
        return root.test(value) == VALID;
    }

    /**
     * Compiles the schema at {@code uri} (an {@code $id} under {@link ModelSchemas#ID_PREFIX}, with an optional
     * {@code #/json/pointer} fragment), following its {@code $ref}s through the bundled schema files.
     *
     * @throws IllegalArgumentException when the schema uses a keyword or reference this class does not handle
     */
    static SchemaProof compile(String uri) {
        Compiler c = new Compiler();
        return new SchemaProof(c.ref(URI.create(uri)));
    }

    /** One keyword (or a whole schema): a verdict on a value. */
    @FunctionalInterface
    private interface Check {
        int test(JsonNode v);
    }

    private static final Check ALWAYS = v -> VALID;
    private static final Check NEVER = v -> INVALID;

    /** All of {@code checks}: invalid as soon as one is, unknown if one is and none is invalid. */
    private static Check all(List<Check> checks) {
        if (checks.isEmpty()) {
            return ALWAYS;
        }
        if (checks.size() == 1) {
            return checks.get(0);
        }
        Check[] cs = checks.toArray(new Check[0]);
        return v -> {
            int verdict = VALID;
            for (Check c : cs) {
                int r = c.test(v);
                if (r == INVALID) {
                    return INVALID;
                }
                verdict = Math.max(verdict, r);
            }
            return verdict;
        };
    }

    /** Reads the bundled schema documents and compiles schema objects, once per absolute location. */
    private static final class Compiler {
        private final ObjectMapper mapper = io.cloudwarden.model.ModelJson.mapper();
        private final Map<URI, JsonNode> documents = new HashMap<>();
        /** Compiled schemas by absolute location; a slot is filled late so that recursive references work. */
        private final Map<URI, Check[]> compiled = new HashMap<>();

        Check ref(URI absolute) {
            Check[] slot = compiled.get(absolute);
            if (slot == null) {
                slot = new Check[1];
                compiled.put(absolute, slot);
                URI document = withoutFragment(absolute);
                JsonNode schema = document(document);
                String pointer = absolute.getRawFragment();
                if (pointer != null && !pointer.isEmpty()) {
                    schema = schema.at(pointer);
                    if (schema.isMissingNode()) {
                        throw new IllegalArgumentException("$ref " + absolute + ": no such schema");
                    }
                }
                slot[0] = schema(schema, document);
            }
            Check[] s = slot;
            return s[0] != null ? s[0] : v -> s[0].test(v);
        }

        private JsonNode document(URI document) {
            return documents.computeIfAbsent(document, d -> {
                String id = d.toString();
                if (!id.startsWith(ModelSchemas.ID_PREFIX)) {
                    throw new IllegalArgumentException("$ref " + d + ": not a bundled schema");
                }
                String path = "/schemas/" + id.substring(ModelSchemas.ID_PREFIX.length());
                try (InputStream in = SchemaProof.class.getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalArgumentException("$ref " + d + ": " + path + " is not on the classpath");
                    }
                    return mapper.readTree(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read schema " + path, e);
                }
            });
        }

        private static URI withoutFragment(URI u) {
            String s = u.toString();
            int hash = s.indexOf('#');
            return hash < 0 ? u : URI.create(s.substring(0, hash));
        }

        Check schema(JsonNode s, URI outer) {
            if (s.isBoolean()) {
                return s.booleanValue() ? ALWAYS : NEVER;
            }
            if (!s.isObject()) {
                throw new IllegalArgumentException("not a schema: " + s);
            }
            URI base = s.has("$id") ? URI.create(s.get("$id").asText()) : outer;
            List<Check> checks = new ArrayList<>();
            Map<String, Check> properties = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String keyword = e.getKey();
                JsonNode arg = e.getValue();
                switch (keyword) {
                    case "type" -> checks.add(type(arg));
                    case "enum" -> checks.add(oneOfValues(arg));
                    case "const" -> checks.add(oneOfValues(mapper.createArrayNode().add(arg)));
                    case "required" -> checks.add(required(arg));
                    case "properties" -> {
                        properties = new LinkedHashMap<>();
                        for (Iterator<Map.Entry<String, JsonNode>> p = arg.fields(); p.hasNext();) {
                            Map.Entry<String, JsonNode> prop = p.next();
                            properties.put(prop.getKey(), schema(prop.getValue(), base));
                        }
                        checks.add(properties(properties));
                    }
                    case "additionalProperties" -> { } // below, once properties are known
                    case "items" -> checks.add(items(schema(arg, base)));
                    case "minimum" -> checks.add(bound(decimal(keyword, arg), true));
                    case "maximum" -> checks.add(bound(decimal(keyword, arg), false));
                    case "minLength" -> checks.add(minLength(arg.intValue()));
                    case "format" -> checks.add(format(arg.asText()));
                    case "$ref" -> checks.add(ref(base.resolve(arg.asText())));
                    case "allOf" -> {
                        List<Check> parts = new ArrayList<>();
                        arg.forEach(part -> parts.add(schema(part, base)));
                        checks.add(all(parts));
                    }
                    case "if" -> checks.add(conditional(schema(arg, base),
                            s.has("then") ? schema(s.get("then"), base) : ALWAYS,
                            s.has("else") ? schema(s.get("else"), base) : ALWAYS));
                    case "then", "else" -> { } // with "if" (alone they are ignored, as the specification says)
                    default -> {
                        if (!ANNOTATIONS.contains(keyword)) {
                            throw new IllegalArgumentException("unsupported keyword " + keyword);
                        }
                    }
                }
            }
            if (s.has("additionalProperties")) {
                checks.add(additional(properties == null ? Map.of() : properties,
                        schema(s.get("additionalProperties"), base)));
            }
            return all(checks);
        }

        private static BigDecimal decimal(String keyword, JsonNode arg) {
            if (!arg.isNumber()) {
                throw new IllegalArgumentException(keyword + ": not a number");
            }
            return arg.decimalValue();
        }
    }

    // ---------------------------------------------------------------------------------------------- keywords

    private static final int OBJECT = 1;
    private static final int ARRAY = 2;
    private static final int STRING = 4;
    private static final int BOOLEAN = 8;
    private static final int NULL = 16;
    private static final int INTEGER = 32;
    private static final int NUMBER = 64;

    private static Check type(JsonNode arg) {
        int allowed = 0;
        for (JsonNode t : arg.isArray() ? arg : List.of(arg)) {
            allowed |= switch (t.asText()) {
                case "object" -> OBJECT;
                case "array" -> ARRAY;
                case "string" -> STRING;
                case "boolean" -> BOOLEAN;
                case "null" -> NULL;
                case "integer" -> INTEGER;
                case "number" -> NUMBER | INTEGER;
                default -> throw new IllegalArgumentException("unsupported type " + t);
            };
        }
        int types = allowed;
        return v -> {
            int kind;
            if (v.isObject()) {
                kind = OBJECT;
            } else if (v.isArray()) {
                kind = ARRAY;
            } else if (v.isTextual()) {
                kind = STRING;
            } else if (v.isBoolean()) {
                kind = BOOLEAN;
            } else if (v.isNull()) {
                kind = NULL;
            } else if (v.isIntegralNumber()) {
                kind = INTEGER;
            } else if (v.isFloatingPointNumber()) {
                // 1.0 may count as an integer: only "number" decides a floating-point value
                return (types & NUMBER) != 0 ? VALID : (types & INTEGER) != 0 ? UNKNOWN : INVALID;
            } else {
                return UNKNOWN; // binary, POJO, missing: not JSON the parser produces
            }
            return (types & kind) != 0 ? VALID : INVALID;
        };
    }

    /** {@code enum} (and {@code const}, an enum of one): certain for strings, booleans and null only. */
    private static Check oneOfValues(JsonNode values) {
        List<JsonNode> vs = new ArrayList<>();
        boolean onlyScalars = true;
        for (JsonNode e : values) {
            vs.add(e);
            onlyScalars &= e.isTextual() || e.isBoolean() || e.isNull();
        }
        boolean certain = onlyScalars;
        return v -> {
            boolean scalar = v.isTextual() || v.isBoolean() || v.isNull();
            if (!scalar || !certain) {
                for (JsonNode e : vs) {
                    if (e.equals(v)) {
                        return VALID;
                    }
                }
                return UNKNOWN;
            }
            for (JsonNode e : vs) {
                if (e.getNodeType() == v.getNodeType() && e.equals(v)) {
                    return VALID;
                }
            }
            return INVALID;
        };
    }

    private static Check required(JsonNode names) {
        List<String> ns = new ArrayList<>();
        names.forEach(n -> ns.add(n.asText()));
        String[] required = ns.toArray(new String[0]);
        return v -> {
            if (!v.isObject()) {
                return VALID;
            }
            for (String n : required) {
                if (v.get(n) == null) { // present with a null value counts as present
                    return INVALID;
                }
            }
            return VALID;
        };
    }

    private static Check properties(Map<String, Check> properties) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, Check>[] ps = properties.entrySet().toArray(new Map.Entry[0]);
        return v -> {
            if (!v.isObject()) {
                return VALID;
            }
            int verdict = VALID;
            for (Map.Entry<String, Check> p : ps) {
                JsonNode child = v.get(p.getKey());
                if (child != null) {
                    int r = p.getValue().test(child);
                    if (r == INVALID) {
                        return INVALID;
                    }
                    verdict = Math.max(verdict, r);
                }
            }
            return verdict;
        };
    }

    private static Check additional(Map<String, Check> declared, Check schema) {
        Set<String> names = Set.copyOf(declared.keySet());
        return v -> {
            if (!v.isObject()) {
                return VALID;
            }
            int verdict = VALID;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!names.contains(e.getKey())) {
                    int r = schema.test(e.getValue());
                    if (r == INVALID) {
                        return INVALID;
                    }
                    verdict = Math.max(verdict, r);
                }
            }
            return verdict;
        };
    }

    private static Check items(Check item) {
        return v -> {
            if (!v.isArray()) {
                return VALID;
            }
            int verdict = VALID;
            for (JsonNode e : v) {
                int r = item.test(e);
                if (r == INVALID) {
                    return INVALID;
                }
                verdict = Math.max(verdict, r);
            }
            return verdict;
        };
    }

    private static Check bound(BigDecimal limit, boolean minimum) {
        return v -> {
            if (!v.isNumber()) {
                return VALID;
            }
            int cmp = v.decimalValue().compareTo(limit);
            if (cmp == 0 && !v.isIntegralNumber()) {
                return UNKNOWN; // a floating-point value on the bound: leave the rounding question to the validator
            }
            return (minimum ? cmp >= 0 : cmp <= 0) ? VALID : INVALID;
        };
    }

    private static Check minLength(int min) {
        return v -> {
            if (!v.isTextual()) {
                return VALID;
            }
            String s = v.textValue();
            if (s.codePointCount(0, s.length()) != s.length()) {
                return UNKNOWN; // surrogate pairs: code points and UTF-16 units differ
            }
            return s.length() >= min ? VALID : INVALID;
        };
    }

    private static Check format(String format) {
        if (!format.equals("date-time")) {
            throw new IllegalArgumentException("unsupported format " + format);
        }
        return v -> !v.isTextual() || isPlainDateTime(v.textValue()) ? VALID : UNKNOWN;
    }

    private static Check conditional(Check condition, Check then, Check otherwise) {
        return v -> switch (condition.test(v)) {
            case VALID -> then.test(v);
            case INVALID -> otherwise.test(v);
            default -> UNKNOWN;
        };
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…](Z|±hh:mm)}, upper-case {@code T} and {@code Z}, a date that exists, hours 0–23,
     * minutes and seconds 0–59 (no leap second), offsets up to ±14:59 but not {@code -00:00}: the RFC 3339 {@code date-time} every writer of
     * the model produces ({@link java.time.Instant#toString()}). Anything else is left to the validator.
     */
    static boolean isPlainDateTime(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        int i = 19;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == n - 1) {
            return s.charAt(i) == 'Z';
        }
        if (i != n - 6 || (s.charAt(i) != '+' && s.charAt(i) != '-') || s.charAt(i + 3) != ':') {
            return false;
        }
        int offHour = digits(s, i + 1, 2);
        int offMinute = digits(s, i + 4, 2);
        // the validator's parser (ethlo ITU) refuses -00:00 ("unknown local offset") and offsets beyond ±18:00
        return offHour >= 0 && offHour <= 14 && offMinute >= 0 && offMinute <= 59
                && !(s.charAt(i) == '-' && offHour == 0 && offMinute == 0);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
