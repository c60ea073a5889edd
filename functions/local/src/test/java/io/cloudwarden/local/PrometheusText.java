package io.cloudwarden.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (no Java library parses it: the Prometheus client
 * only writes it). Grammar, one line each:
 * <pre>
 *   line    = "# HELP " name " " text | "# TYPE " name " " type | "#" comment | "" | sample
 *   sample  = name [ "{" label *( "," label ) [","] "}" ] " " value [ " " timestamp ]
 *   label   = lname "=\"" escaped "\""          escaped: \\ \" \n are the only escapes
 *   name    = [a-zA-Z_:][a-zA-Z0-9_:]*           lname = [a-zA-Z_][a-zA-Z0-9_]*
 *   value   = a Go float: digits, "+Inf", "-Inf", "NaN"
 *   type    = counter | gauge | histogram | summary | untyped
 * </pre>
 * Every sample must belong to a family declared by {@code # TYPE} before it (its name, or the name plus
 * {@code _bucket}, {@code _sum}, {@code _count}, {@code _total}, {@code _created}); anything else fails with the line.
 */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME.pattern()
            + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME.pattern() + ") (.*)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?)");

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher t = TYPE.matcher(line);
                if (t.matches()) {
                    if (p.types.put(t.group(1), t.group(2)) != null) {
                        throw new IllegalArgumentException(where + "second TYPE for " + t.group(1));
                    }
                } else if (line.startsWith("# TYPE") || (line.startsWith("# HELP") && !HELP.matcher(line).matches())) {
                    throw new IllegalArgumentException(where + "malformed TYPE or HELP line");
                }
                continue;
            }
            p.samples.add(p.sample(line, where));
        }
        return p;
    }

    private Sample sample(String line, String where) {
        Matcher n = NAME.matcher(line);
        if (!n.lookingAt()) {
            throw new IllegalArgumentException(where + "expected a metric name");
        }
        String name = n.group();
        int pos = n.end();
        Map<String, String> labels = new HashMap<>();
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos++;
            while (line.charAt(pos) != '}') {
                Matcher l = LABEL.matcher(line).region(pos, line.length());
                if (!l.lookingAt()) {
                    throw new IllegalArgumentException(where + "expected label=\"value\" at column " + (pos + 1));
                }
                labels.put(l.group(1), l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
                pos = l.end();
                if (line.charAt(pos) == ',') {
                    pos++;
                } else if (line.charAt(pos) != '}') {
                    throw new IllegalArgumentException(where + "expected , or } at column " + (pos + 1));
                }
            }
            pos++;
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            throw new IllegalArgumentException(where + "expected a space before the value");
        }
        String[] rest = line.substring(pos + 1).split(" ", -1);
        if (rest.length > 2 || !VALUE.matcher(rest[0]).matches()
                || (rest.length == 2 && !rest[1].matches("-?[0-9]+"))) {
            throw new IllegalArgumentException(where + "expected a value and an optional integer timestamp");
        }
        if (family(name) == null) {
            throw new IllegalArgumentException(where + "no # TYPE declared for " + name);
        }
        double value = switch (rest[0].replace("+", "")) {
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        return new Sample(name, Map.copyOf(labels), value);
    }

    /** The declared family a sample name belongs to, or null. */
    String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    /** The samples named {@code name}. */
    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Sum of the samples named {@code name} whose labels include {@code match}. */
    double sum(String name, Map<String, String> match) {
        return named(name).stream().filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
                .mapToDouble(Sample::value).sum();
    }
}
