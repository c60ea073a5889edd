package io.cloudwarden.local;

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
        return Cli.commandLine().execute(args);
    }

    /** Runs the CLI with its output and errors captured (tests, embedding). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        picocli.CommandLine cl = Cli.commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
