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

    /** Cuts {@code s} to {@code max} characters keeping both ends: resource ids differ at their end. */
    static String cutMiddle(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int head = (max - 1) / 3;
        int tail = max - 1 - head;
        return s.substring(0, head) + "…" + s.substring(s.length() - tail);
    }

    /** A fixed-width terminal table; the last column is not padded. */
    static final class Table {
        private final List<String> headers;
        private final int[] caps;
        private final boolean[] keepTail;
        private final List<String[]> rows = new ArrayList<>();
        private final List<UnaryOperator<String>> styles = new ArrayList<>();

        Table(List<String> headers, int[] caps, boolean[] keepTail) {
            this.headers = headers;
            this.caps = caps;
            this.keepTail = keepTail;
        }

        /** Adds a row; {@code firstCellStyle} wraps the (padded) first cell, e.g. in ANSI colour. */
        void add(UnaryOperator<String> firstCellStyle, String... cells) {
            String[] fitted = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                String v = oneLine(cells[i]);
                fitted[i] = keepTail[i] ? cutMiddle(v, caps[i]) : cutEnd(v, caps[i]);
            }
            rows.add(fitted);
            styles.add(firstCellStyle);
        }

        String render() {
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
            StringBuilder out = new StringBuilder();
            line(out, headers.toArray(String[]::new), w, UnaryOperator.identity());
            String[] rule = new String[n];
            for (int i = 0; i < n; i++) {
                rule[i] = "-".repeat(w[i]);
            }
            line(out, rule, w, UnaryOperator.identity());
            for (int r = 0; r < rows.size(); r++) {
                line(out, rows.get(r), w, styles.get(r));
            }
            return out.toString();
        }

        private static void line(StringBuilder out, String[] cells, int[] w, UnaryOperator<String> firstStyle) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                boolean last = i == cells.length - 1;
                String cell = last ? cells[i] : cells[i] + " ".repeat(w[i] - cells[i].length());
                b.append(i == 0 ? firstStyle.apply(cell) : cell);
                if (!last) {
                    b.append("  ");
                }
            }
            out.append(b.toString().stripTrailing()).append('\n');
        }
    }
}
