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
}
