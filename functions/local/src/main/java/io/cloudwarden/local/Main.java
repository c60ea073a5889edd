package io.cloudwarden.local;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of {@code cloudwarden.jar}: the embedded default (every provider in one process). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (0 clean, 1 findings/drift, 2 input error, 3 partial, 4 internal). */
    public static int run(String... args) {
        CommandLine cl = Cli.commandLine(args);
        return execute(cl, args);
    }

    /** Runs the CLI with its output and errors captured (tests, embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = Cli.commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        int code = execute(cl, args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Picocli hands only {@link Exception}s to the execution exception handler; an {@link Error} (out of memory,
     * stack overflow, a missing class) would escape with a stack trace and the JVM's exit 1, which means "findings".
     * Any Error is an internal error: one line, exit 4. Reports are rendered whole before anything is written and
     * {@code --out} files are written to a temp file and renamed, so a run that dies here leaves no output that
     * reads as a clean result.
     */
    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (Error e) {
            return internalError(cl.getErr(), e, verbose(args));
        }
    }

    static int internalError(PrintWriter err, Error e, boolean verbose) {
        String line;
        if (e instanceof OutOfMemoryError) {
            line = "internal error: out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage())
                    + "); give the JVM more heap, e.g. java -Xmx4g -jar cloudwarden.jar ...";
        } else {
            line = "internal error: " + e + " (rerun with --verbose for details)";
        }
        err.println("cloudwarden: " + line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static boolean verbose(String... args) {
        for (String a : args) {
            if ("-v".equals(a) || "--verbose".equals(a)) {
                return true;
            }
        }
        return false;
    }
}
