package io.cloudwarden.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Small text helpers shared by the Markdown and terminal-table renderers. */
final class Text {
    private Text() {
    }

    /** One Markdown table cell: pipes escaped, line breaks flattened. */
    static String md(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "")
                .replace("\n", "<br>");
    }

    /** Single line, control characters removed (no terminal escape injection from resource names). */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    /** Cuts {@code s} to {@code max} characters, ending with an ellipsis. */
    static String cutEnd(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    /**
     * Word-wraps {@code s} into lines of at most {@code width} characters (a word longer than that is split).
     * {@code width <= 0}: one line.
     */
    static List<String> wrap(String s, int width) {
        List<String> lines = new ArrayList<>();
        if (width <= 0 || s.length() <= width) {
            lines.add(s);
            return lines;
        }
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ", -1)) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A terminal table that fits a given width. Columns with cap 0 (ids, rule ids, kinds) are never cut: a reader
     * copies them into the next command. One <em>elastic</em> column (the message, the change) takes the width that
     * is left, at least {@link #MIN_ELASTIC} characters, and wraps onto continuation lines whose other cells are
     * blank; other capped columns end in an ellipsis. Width 0 means unlimited: nothing wraps. The last column is
     * not padded.
     */
    static final class Table {
        static final int MIN_ELASTIC = 20;
        private final List<String> headers;
        private final int[] caps;
        private final int elastic;
        private final List<String[]> rows = new ArrayList<>();
        private final List<UnaryOperator<String>> styles = new ArrayList<>();

        Table(List<String> headers, int[] caps, int elastic) {
            this.headers = headers;
            this.caps = caps;
            this.elastic = elastic;
        }

        /** Adds a row; {@code firstCellStyle} wraps the (padded) first cell, e.g. in ANSI colour. */
        void add(UnaryOperator<String> firstCellStyle, String... cells) {
            String[] fitted = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                String v = oneLine(cells[i]);
                fitted[i] = caps[i] > 0 && i != elastic ? cutEnd(v, caps[i]) : v;
            }
            rows.add(fitted);
            styles.add(firstCellStyle);
        }

        String render(int width) {
            int n = headers.size();
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = headers.get(i).length();
            }
            for (String[] r : rows) {
                for (int i = 0; i < n; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            int wrapAt = 0;
            if (width > 0) {
                int others = 2 * (n - 1);
                for (int i = 0; i < n; i++) {
                    others += i == elastic ? 0 : w[i];
                }
                wrapAt = Math.max(MIN_ELASTIC, width - others);
                w[elastic] = Math.min(w[elastic], wrapAt);
            }
            StringBuilder out = new StringBuilder();
            line(out, headers.toArray(String[]::new), w, UnaryOperator.identity());
            String[] rule = new String[n];
            for (int i = 0; i < n; i++) {
                rule[i] = "-".repeat(w[i]);
            }
            line(out, rule, w, UnaryOperator.identity());
            for (int r = 0; r < rows.size(); r++) {
                String[] cells = rows.get(r);
                List<String> parts = wrap(cells[elastic], wrapAt);
                for (int k = 0; k < parts.size(); k++) {
                    String[] shown = k == 0 ? cells.clone() : new String[n];
                    if (k > 0) {
                        java.util.Arrays.fill(shown, "");
                    }
                    shown[elastic] = parts.get(k);
                    line(out, shown, w, k == 0 ? styles.get(r) : UnaryOperator.identity());
                }
            }
            return out.toString();
        }

        private static void line(StringBuilder out, String[] cells, int[] w, UnaryOperator<String> firstStyle) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                boolean last = i == cells.length - 1;
                String cell = last ? cells[i] : cells[i] + " ".repeat(Math.max(0, w[i] - cells[i].length()));
                b.append(i == 0 ? firstStyle.apply(cell) : cell);
                if (!last) {
                    b.append("  ");
                }
            }
            out.append(b.toString().stripTrailing()).append('\n');
        }
    }
}
