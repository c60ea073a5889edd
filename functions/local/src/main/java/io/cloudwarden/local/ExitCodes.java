package io.cloudwarden.local;

/** The CLI's exit codes (also in the README). */
public final class ExitCodes {
    /** Ran clean. */
    public static final int OK = 0;
    /** Findings or drift found where the user asked to fail on them. */
    public static final int FINDINGS = 1;
    /** Usage or input error: the message names the file or field and what was expected. */
    public static final int INPUT = 2;
    /** Partial: some scopes could not be read (see the snapshot's errors). */
    public static final int PARTIAL = 3;
    /** Internal error (a bug or an unexpected failure): rerun with --verbose for the stack trace. */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
