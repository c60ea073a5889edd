package io.cloudwarden.it.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Just enough of HCL's native syntax to read this repository's Terraform: comments are dropped, strings (with
 * {@code ${…}} interpolations that contain strings) are skipped as units, and a body is split into its depth-0
 * attributes ({@code name = expression}) and nested blocks ({@code name { … }}). Heredocs are not supported (the
 * modules use none; {@link #read} refuses them so a future one cannot be silently misread).
 */
final class Hcl {
    /** Where the repository is, seen from the module directory the tests run in. */
    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    private static final Pattern TOP_BLOCK = Pattern.compile(
            "(?m)^\\s*(resource|data)\\s+\"([^\"]+)\"\\s+\"([^\"]+)\"\\s*\\{");

    /** A {@code resource} or {@code data} block: kind, type, name, the file it is in, and its body. */
    record Block(String kind, String type, String name, Path file, String body) {
        String address() {
            return (kind.equals("data") ? "data." : "") + type + "." + name + " (" + REPO.relativize(file) + ")";
        }

        Map<String, String> attributes() {
            return Hcl.attributes(body);
        }

        String attribute(String name) {
            return attributes().getOrDefault(name, "");
        }

        List<String> nested(String name) {
            return Hcl.nested(body, name);
        }
    }

    private Hcl() {
    }

    /** Every {@code .tf} file under {@code infra/<cloud>}, comments removed. */
    static Map<Path, String> module(String cloud) {
        Path dir = REPO.resolve("infra").resolve(cloud);
        Map<Path, String> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
                files.put(p, read(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String read(Path file) {
        try {
            String text = Files.readString(file);
            if (text.contains("<<")) {
                throw new IllegalStateException(file + ": heredocs are not supported by the test's HCL reader");
            }
            return stripComments(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every resource and data block of a module. */
    static List<Block> blocks(String cloud) {
        List<Block> out = new ArrayList<>();
        module(cloud).forEach((file, text) -> {
            Matcher m = TOP_BLOCK.matcher(text);
            while (m.find()) {
                int open = m.end() - 1;
                int close = matching(text, open);
                out.add(new Block(m.group(1), m.group(2), m.group(3), file, text.substring(open + 1, close)));
            }
        });
        return out;
    }

    static List<Block> blocks(String cloud, String type) {
        return blocks(cloud).stream().filter(b -> b.type().equals(type)).toList();
    }

    /** The bodies of every {@code locals} block of a module, as one attribute map. */
    static Map<String, String> locals(String cloud) {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern locals = Pattern.compile("(?m)^locals\\s*\\{");
        module(cloud).forEach((file, text) -> {
            Matcher m = locals.matcher(text);
            while (m.find()) {
                int open = m.end() - 1;
                out.putAll(attributes(text.substring(open + 1, matching(text, open))));
            }
        });
        return out;
    }

    /** The string literals of an expression, in order (interpolated parts left as written). */
    static List<String> strings(String expression) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '"') {
                int end = skipString(expression, i);
                out.add(expression.substring(i + 1, end - 1));
                i = end;
            } else {
                i++;
            }
        }
        return out;
    }

    /** Depth-0 {@code name = expression} of a body. */
    static Map<String, String> attributes(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        Pattern head = Pattern.compile("\\G\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_-]*)\\s*(=|\\{)");
        while (i < body.length()) {
            Matcher m = head.matcher(body);
            if (!m.find(i)) {
                break;
            }
            String name = m.group(1).replace("\"", "");
            int start = m.end();
            if (m.group(2).equals("{")) {
                i = matching(body, start - 1) + 1;
                continue;
            }
            int end = expressionEnd(body, start);
            out.put(name, body.substring(start, end).trim());
            i = end;
        }
        return out;
    }

    /** The bodies of the depth-0 nested blocks called {@code name}. */
    static List<String> nested(String body, String name) {
        List<String> out = new ArrayList<>();
        int i = 0;
        Pattern head = Pattern.compile("\\G\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_-]*)(\\s+\"[^\"]*\")*\\s*(=|\\{)");
        while (i < body.length()) {
            Matcher m = head.matcher(body);
            if (!m.find(i)) {
                break;
            }
            int start = m.end();
            if (m.group(3).equals("{")) {
                int close = matching(body, start - 1);
                if (m.group(1).equals(name)) {
                    out.add(body.substring(start, close));
                }
                i = close + 1;
            } else {
                i = expressionEnd(body, start);
            }
        }
        return out;
    }

    /** The keys of an object-constructor expression {@code { a = …, "b" = … }}. */
    static List<String> objectKeys(String expression) {
        String e = expression.trim();
        if (!e.startsWith("{")) {
            return List.of();
        }
        return new ArrayList<>(attributes(e.substring(1, matching(e, 0))).keySet());
    }

    /** The value of key {@code key} in an object-constructor expression. */
    static String objectValue(String expression, String key) {
        String e = expression.trim();
        return attributes(e.substring(1, matching(e, 0))).getOrDefault(key, "");
    }

    private static int expressionEnd(String s, int from) {
        int depth = 0;
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = skipString(s, i);
                continue;
            }
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == '\n' && depth == 0) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Index of the brace closing the one at {@code open}. */
    static int matching(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = skipString(s, i);
                continue;
            }
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
            i++;
        }
        throw new IllegalStateException("unbalanced braces from offset " + open);
    }

    /** Index just past the string starting at {@code i} (a quote). */
    private static int skipString(String s, int i) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                return j + 1;
            } else if (c == '$' && j + 1 < s.length() && s.charAt(j + 1) == '{') {
                j = skipInterpolation(s, j + 2);
            } else {
                j++;
            }
        }
        throw new IllegalStateException("unterminated string at offset " + i);
    }

    private static int skipInterpolation(String s, int j) {
        int depth = 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '"') {
                j = skipString(s, j);
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
            j++;
        }
        throw new IllegalStateException("unterminated interpolation");
    }

    private static String stripComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = skipString(text, i);
                out.append(text, i, end);
                i = end;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
