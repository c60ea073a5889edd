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
     * is left and wraps onto continuation lines whose other cells are blank (or, when less than
     * {@link #MIN_ELASTIC} characters are left, goes under its row); other capped columns end in an
     * ellipsis. Width 0 means unlimited: nothing wraps. The last column is not padded.
     */
    static final class Table {
        static final int MIN_ELASTIC = 30;
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
            int others = 2 * (n - 1);
            for (int i = 0; i < n; i++) {
                others += i == elastic ? 0 : w[i];
            }
            if (width > 0 && width - others < MIN_ELASTIC) {
                return stacked(width, w);
            }
            int wrapAt = width > 0 ? width - others : 0;
            if (wrapAt > 0) {
                w[elastic] = Math.min(w[elastic], wrapAt);
            }
            StringBuilder out = new StringBuilder();
            line(out, headers.toArray(String[]::new), w, UnaryOperator.identity());
            line(out, rule(w), w, UnaryOperator.identity());
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

        /**
         * When the whole columns (long ARM ids) leave the elastic one less than {@link #MIN_ELASTIC} characters, it
         * moves under its row, indented and wrapped to the full width, instead of becoming a narrow ribbon.
         */
        private String stacked(int width, int[] all) {
            int n = headers.size();
            int[] w = new int[n - 1];
            String[] head = new String[n - 1];
            for (int i = 0, j = 0; i < n; i++) {
                if (i != elastic) {
                    w[j] = all[i];
                    head[j++] = headers.get(i);
                }
            }
            StringBuilder out = new StringBuilder();
            line(out, head, w, UnaryOperator.identity());
            out.append(STACK_INDENT).append(headers.get(elastic)).append('\n');
            line(out, rule(w), w, UnaryOperator.identity());
            for (int r = 0; r < rows.size(); r++) {
                String[] cells = rows.get(r);
                String[] fixed = new String[n - 1];
                for (int i = 0, j = 0; i < n; i++) {
                    if (i != elastic) {
                        fixed[j++] = cells[i];
                    }
                }
                if (java.util.Arrays.stream(fixed).anyMatch(c -> !c.isEmpty())) {
                    line(out, fixed, w, styles.get(r));
                }
                if (!cells[elastic].isEmpty()) {
                    for (String part : wrap(cells[elastic], Math.max(MIN_ELASTIC, width - STACK_INDENT.length()))) {
                        out.append(STACK_INDENT).append(part).append('\n');
                    }
                }
            }
            return out.toString();
        }

        private static final String STACK_INDENT = "    ";

        private static String[] rule(int[] w) {
            String[] rule = new String[w.length];
            for (int i = 0; i < w.length; i++) {
                rule[i] = "-".repeat(w[i]);
            }
            return rule;
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
