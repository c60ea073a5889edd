package io.cloudwarden.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the CLI knows about where it writes: whether a person is watching a terminal, how wide it is, and whether to
 * colour. Java 17 cannot ask whether stderr alone is a terminal; {@link System#console()} (non-null only when both
 * standard input and output are a terminal) stands for it, so anything piped or redirected — CI logs, {@code | less},
 * {@code > file} — counts as "not a terminal". {@code CI} set in the environment (every CI system sets it) also does.
 */
final class Terminal {
    /** Table width when the width cannot be told (output is not a terminal and {@code COLUMNS} is not set). */
    static final int DEFAULT_WIDTH = 120;

    private final boolean interactive;
    private final Map<String, String> env;

    Terminal(boolean interactive, Map<String, String> env) {
        this.interactive = interactive && blank(env.get("CI"));
        this.env = env;
    }

    /** This process's terminal. */
    static Terminal current() {
        return new Terminal(System.console() != null, System.getenv());
    }

    /** A person is watching: progress lines and colour may be shown. */
    boolean interactive() {
        return interactive;
    }

    /** Progress on stderr: only on a terminal, never with {@code --quiet}. */
    boolean progress(Cli.Common common) {
        return interactive && (common == null || !common.quiet);
    }

    /**
     * ANSI colour: only on a terminal whose {@code TERM} is not {@code dumb}, never with {@code --no-color} or when
     * {@code NO_COLOR} is set to anything non-empty (https://no-color.org).
     */
    boolean color(Cli.Common common) {
        return interactive && (common == null || !common.noColor) && blank(env.get("NO_COLOR"))
                && !"dumb".equals(env.get("TERM"));
    }

    /**
     * Width tables fit: {@code COLUMNS} when set (shells export it on resize; users set it), else the terminal's
     * width as {@code stty size} reports it, else {@value #DEFAULT_WIDTH}.
     */
    int width() {
        String columns = env.get("COLUMNS");
        if (!blank(columns)) {
            try {
                int c = Integer.parseInt(columns.trim());
                if (c > 0) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // an unusable COLUMNS is ignored, as shells do
            }
        }
        if (interactive) {
            int w = sttyWidth();
            if (w > 0) {
                return w;
            }
        }
        return DEFAULT_WIDTH;
    }

    private static int sttyWidth() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return 0;
            }
            String[] rowsCols = out.split("\\s+");
            return rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
