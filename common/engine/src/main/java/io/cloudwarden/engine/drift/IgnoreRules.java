package io.cloudwarden.engine.drift;

import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What drift detection must not report, parsed from a {@code .cloudwardenignore} file.
 *
 * <p>Format: one entry per line; blank lines and lines starting with {@code #} are ignored (a {@code #} elsewhere
 * is part of the entry). Two kinds of entries:
 * <ul>
 *   <li><b>resource pattern</b> — a glob over {@code cloud:type:id}, e.g.
 *       {@code aws:storage.bucket:arn:aws:s3:::scratch-*}: matching resources are left out of the comparison
 *       entirely (neither managed, unmanaged, missing nor changed; they are counted in {@code ignored}).
 *       {@code *} matches any run of characters (colons and slashes included), {@code ?} one character. The cloud
 *       part must be {@code aws}, {@code azure}, {@code gcp} or a glob. Azure ids compare case-insensitively, as
 *       everywhere else.</li>
 *   <li><b>attribute path</b> — {@code attribute: POINTER} (every type) or {@code attribute: TYPE POINTER} (one
 *       normalized type), e.g. {@code attribute: /tags/*} or {@code attribute: storage.bucket /logging}. POINTER is
 *       an RFC 6901 JSON pointer over {@code attributes} (tag differences are reported under {@code /tags/<key>},
 *       so they can be ignored the same way); {@code *} matches one path segment, {@code **} any number of
 *       segments. A change is ignored when the pattern matches its path or one of its parents.</li>
 * </ul>
 * A line that is neither → {@link IgnoreFileException} naming the file and line.
 */
public final class IgnoreRules {
    private static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of());

    private record ResourceRule(Pattern exact, Pattern folded) {
    }

    private record PathRule(Optional<String> type, Pattern path) {
    }

    private final List<ResourceRule> resourceRules;
    private final List<PathRule> pathRules;

    private IgnoreRules(List<ResourceRule> resourceRules, List<PathRule> pathRules) {
        this.resourceRules = List.copyOf(resourceRules);
        this.pathRules = List.copyOf(pathRules);
    }

    public static IgnoreRules none() {
        return NONE;
    }

    public static IgnoreRules parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IgnoreFileException(file + ": cannot read ignore file: " + e.getMessage(), e);
        }
    }

    public static IgnoreRules parse(String content, String sourceName) {
        List<ResourceRule> resources = new ArrayList<>();
        List<PathRule> paths = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = sourceName + ":" + (i + 1) + ": ";
            if (line.regionMatches(true, 0, "attribute:", 0, "attribute:".length())) {
                paths.add(parsePathRule(line.substring("attribute:".length()).strip(), where));
            } else {
                resources.add(parseResourceRule(line, where));
            }
        }
        return new IgnoreRules(resources, paths);
    }

    private static PathRule parsePathRule(String spec, String where) {
        String[] parts = spec.split("\\s+");
        if (spec.isEmpty() || parts.length > 2) {
            throw new IgnoreFileException(where + "expected 'attribute: /json/pointer' or "
                    + "'attribute: <type> /json/pointer' but was 'attribute: " + spec + "'");
        }
        String pointer = parts[parts.length - 1];
        if (!pointer.startsWith("/")) {
            throw new IgnoreFileException(where + "expected a JSON pointer starting with '/' but was '" + pointer + "'");
        }
        Optional<String> type = parts.length == 2 ? Optional.of(parts[0]) : Optional.empty();
        if (type.isPresent() && !ResourceTypes.isKnown(type.get())) {
            throw new IgnoreFileException(where + "expected a normalized type (" + String.join(", ", ResourceTypes.ALL)
                    + ") before the pointer but was '" + type.get() + "'");
        }
        return new PathRule(type, Pattern.compile(pointerGlob(pointer)));
    }

    private static ResourceRule parseResourceRule(String line, String where) {
        String[] parts = line.split(":", 3);
        if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IgnoreFileException(where + "expected a resource pattern 'cloud:type:id' (globs allowed) or "
                    + "'attribute: ...' but was '" + line + "'");
        }
        if (!parts[0].contains("*") && !parts[0].contains("?")) {
            try {
                Cloud.of(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new IgnoreFileException(where + e.getMessage());
            }
        }
        String regex = glob(line);
        return new ResourceRule(Pattern.compile(regex),
                Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** Glob where {@code *} crosses any character. */
    private static String glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    /** Pointer glob: {@code *} = one segment, {@code **} = any segments; matches the path or any child of it. */
    private static String pointerGlob(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (c == '*' && i + 1 < pointer.length() && pointer.charAt(i + 1) == '*') {
                sb.append(".*");
                i++;
            } else if (c == '*') {
                sb.append("[^/]*");
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.append("(/.*)?").toString();
    }

    public boolean isEmpty() {
        return resourceRules.isEmpty() && pathRules.isEmpty();
    }

    /** True when a resource pattern matches {@code cloud:type:id}. */
    public boolean ignoresResource(Cloud cloud, String type, String id) {
        if (resourceRules.isEmpty()) {
            return false;
        }
        String key = cloud.id() + ":" + type + ":" + id;
        for (ResourceRule r : resourceRules) {
            Pattern p = cloud == Cloud.AZURE ? r.folded() : r.exact();
            if (p.matcher(key).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when an attribute entry (global or for {@code type}) matches the JSON pointer {@code path}. */
    public boolean ignoresPath(String type, String path) {
        for (PathRule r : pathRules) {
            if ((r.type().isEmpty() || r.type().get().equals(type)) && r.path().matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "IgnoreRules[" + resourceRules.size() + " resource patterns, " + pathRules.size() + " attribute paths]";
    }
}
